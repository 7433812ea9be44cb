"""cpevents/core/urls.py: links in emails come from BASE_URL, never from the request's host, which a
visitor controls (with ProxyFix on, through X-Forwarded-Host)."""

from __future__ import annotations

import re

from flask import url_for
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import EnvironBuilder

from cpevents.core.urls import absolute_url
from cpevents.feedback.services import link_url as feedback_link
from cpevents.invitations.services import link_url as invitation_link
from cpevents.registrations.services import calendar_url, cancel_url
from tests.factories import post_form
from tests.registrations.helpers import audiences, form_data, make_event

FORGED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}


def _forged_request(app):
    """A request context whose environ went through ProxyFix with a forged host."""
    seen: dict = {}

    def capture(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    ProxyFix(capture, x_for=1, x_proto=1, x_host=1)(EnvironBuilder(path="/", headers=FORGED).get_environ(), lambda *a: None)
    return app.request_context(seen)


def test_links_built_in_a_forged_request_start_with_base_url(app):
    base = app.config["BASE_URL"]
    event, _ = make_event()
    with _forged_request(app):
        assert url_for("accounts.sign_in", _external=True).startswith("https://evil.example")  # the forgery took
        links = [absolute_url("accounts.sign_in"), feedback_link("tok"), invitation_link("tok"), cancel_url("tok"), calendar_url(event)]
    assert all(link.startswith(base + "/") for link in links), links
    assert links[1] == base + "/f/tok" and links[2] == base + "/i/tok" and links[3] == base + "/registrations/cancel/tok"
    assert links[4] == f"{base}/events/{event.public_id}/calendar.ics"


def test_links_outside_a_request_start_with_base_url(app):
    with app.app_context():
        assert absolute_url("rsvp.open_link", token="abc") == app.config["BASE_URL"] + "/i/abc"


def test_an_email_queued_in_a_forged_request_links_to_base_url_only(app, client, smtp_sink, monkeypatch):
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    event, _ = make_event()
    data = form_data(audiences(event)[1], email="forged.host@example.org")
    # Only the host is forged here: a forged https would (rightly) fail Flask-WTF's referrer check.
    response = post_form(client, f"/events/{event.public_id}/register", data, headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 302
    message = smtp_sink.wait_for("forged.host@example.org")[0]
    for body in (smtp_sink.text(message), smtp_sink.html(message)):
        links = re.findall(r"https?://[^\s\"'<>]+", body)
        assert links and all(link.startswith(app.config["BASE_URL"] + "/") for link in links), links
        assert "evil.example" not in body
