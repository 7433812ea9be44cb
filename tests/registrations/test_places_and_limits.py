"""The public registration page says how many places are left per audience, and its limits keep
what was typed and say when to try again (issue 20)."""

from __future__ import annotations

import re

from cpevents.extensions import db
from cpevents.registrations.models import Registration
from cpevents.registrations.services import register
from tests.factories import csrf_from
from tests.registrations.helpers import audiences, details, form_data, make_event


def _page(event) -> str:
    return f"/events/{event.public_id}/register"


def _hint_for(html: str, audience) -> str:
    """The hint text under one audience's radio."""
    match = re.search(r'value="' + audience.public_id + r'"[^>]*aria-describedby="([^"]+)"', html)
    assert match, "the choice has no hint"
    hint = re.search(r'id="' + match.group(1) + r'"[^>]*>\s*(.*?)\s*</div>', html, re.S)
    return hint.group(1)


def test_the_page_shows_places_left_per_audience(client):
    event, _ = make_event(professionals=3, councillors=1)
    professionals, councillors = audiences(event)
    register(event, professionals, details())
    db.session.commit()
    html = client.get(_page(event)).get_data(as_text=True)
    assert _hint_for(html, professionals) == "2 places left"
    assert _hint_for(html, councillors) == "1 place left"
    register(event, councillors, details())
    db.session.commit()
    html = client.get(_page(event)).get_data(as_text=True)
    assert _hint_for(html, councillors) == "Waiting list only"


def test_an_audience_with_no_limit_shows_no_count(client):
    event, _ = make_event(professionals=None, councillors=None)
    html = client.get(_page(event)).get_data(as_text=True)
    assert "places left" not in html and "Waiting list only" not in html


def _post(client, event, token, data):
    return client.post(_page(event), data={"csrf_token": token, **data})


def test_colleagues_from_one_office_can_all_register(client, app, monkeypatch):
    """The limit per client address is generous: ten colleagues one after another all register."""
    event, _ = make_event(professionals=None)
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    statuses = [_post(client, event, token, form_data(audiences(event)[0])).status_code for _ in range(10)]
    assert statuses == [302] * 10
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 10


def test_too_many_tries_with_one_address_keep_the_form_and_say_when(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER_EMAIL", "2 per hour")
    event, _ = make_event()
    professionals = audiences(event)[0]
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    data = form_data(professionals, email="same.person@example.org", organisation="Leaving care team North")
    assert [_post(client, event, token, data).status_code for _ in range(2)] == [302, 302]
    response = _post(client, event, token, data)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "govuk-error-message" in html and "Try again after" in html
    assert "too many times" in html
    # What was typed is kept.
    assert 'value="same.person@example.org"' in html and 'value="Leaving care team North"' in html
    # Another address is not held up.
    assert _post(client, event, token, form_data(professionals)).status_code == 302


def test_mistakes_do_not_use_up_the_tries_for_an_address(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER_EMAIL", "1 per hour")
    event, _ = make_event()
    professionals = audiences(event)[0]
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    for _ in range(3):
        assert _post(client, event, token, form_data(professionals, email="fix.me@example.org", name="")).status_code == 400
    assert _post(client, event, token, form_data(professionals, email="fix.me@example.org")).status_code == 302


def test_the_limit_per_client_address_still_protects_the_service(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER_ADDRESS", "4 per minute")
    event, _ = make_event()
    token = csrf_from(client.get(_page(event)).get_data(as_text=True))
    statuses = [_post(client, event, token, form_data(audiences(event)[0], email="")).status_code for _ in range(5)]
    assert statuses == [400] * 4 + [429]
    response = _post(client, event, token, form_data(audiences(event)[0], name="Kept Name"))
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Try again after" in html and 'value="Kept Name"' in html
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 0
