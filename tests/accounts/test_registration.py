"""Nominators register themselves; the email address is confirmed by a link before sign-in."""

import pytest
from sqlalchemy import func, select

from cpevents.accounts.models import User, user_by_email
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import csrf_from, make_user, post_form, sign_in

GOOD = {
    "name": "Priya Patel",
    "email": "Priya.Patel@Example.org",
    "organisation": "Fostering service",
    "job_title": "Supervising social worker",
    "purpose": "nominate",
    "password": "marmalade bicycle harbour",
}


def test_register_then_confirm_email_then_sign_in(client, smtp_sink):
    response = post_form(client, "/register", GOOD)
    assert response.headers["Location"] == "/register/check-your-email"
    assert "Check your email" in client.get("/register/check-your-email").get_data(as_text=True)
    user = user_by_email("priya.patel@example.org")
    assert user is not None and user.roles == {Role.NOMINATOR} and not user.is_verified
    email = smtp_sink.wait_for("priya.patel@example.org")[0]
    assert email["subject"] == "Confirm your email address"
    link = smtp_sink.link(email)
    assert link.startswith("/verify-email/")
    # opening the link changes nothing (mail scanners open links)
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_verified
    confirmed = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert confirmed.headers["Location"] == "/sign-in"
    db.session.expire_all()
    assert db.session.get(User, user.id).is_verified
    # single use
    assert client.get(link).status_code == 404
    assert sign_in(client, db.session.get(User, user.id), GOOD["password"]).headers["Location"] == "/home"


def test_email_has_text_and_html_parts_and_a_neutral_subject(client, smtp_sink):
    post_form(client, "/register", GOOD)
    email = smtp_sink.wait_for("priya.patel@example.org")[0]
    assert "Confirm your email address" in smtp_sink.html(email)
    assert "/verify-email/" in smtp_sink.text(email)
    for word in ("care", "looked after", "leaver"):
        assert word not in email["subject"].lower()


def test_registering_an_existing_email_reveals_nothing(client, smtp_sink):
    existing = make_user(Role.NOMINATOR, email="taken@example.org")
    response = post_form(client, "/register", {**GOOD, "email": "taken@example.org"})
    assert response.headers["Location"] == "/register/check-your-email"
    assert db.session.execute(select(func.count()).select_from(User).where(User.email == "taken@example.org")).scalar_one() == 1
    email = smtp_sink.wait_for(existing.email)[0]
    assert email["subject"] == "Someone tried to register with your email address"


def test_champion_request_is_recorded_for_organisers(client):
    post_form(client, "/register", {**GOOD, "purpose": "champion"})
    user = user_by_email("priya.patel@example.org")
    assert user.wants_champion and user.roles == {Role.NOMINATOR}


def test_empty_form_shows_every_error_beside_its_field(client):
    response = post_form(client, "/register", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    for message in ["Enter your full name", "Enter your work email address", "Enter the name of your organisation", "Enter your job title", "Select what you want to do", "Enter a password"]:
        assert message in html
    assert html.count('class="govuk-error-message"') == 6
    assert "<title>Error: " in html


@pytest.mark.parametrize(
    "password,message",
    [
        ("short pass", "12 characters or more"),
        ("password1234", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("priya patel rocks", "must not contain your name"),
    ],
)
def test_weak_passwords_are_refused_and_typed_values_kept(client, password, message):
    response = post_form(client, "/register", {**GOOD, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="Priya Patel"' in html and 'value="Fostering service"' in html


def test_bad_email_is_explained(client):
    response = post_form(client, "/register", {**GOOD, "email": "not an email"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_expired_verification_link_says_so(client, smtp_sink):
    from datetime import timedelta

    from sqlalchemy import update

    from cpevents.accounts.models import AccountToken
    from cpevents.core.time import utcnow

    post_form(client, "/register", GOOD)
    link = smtp_sink.link(smtp_sink.wait_for("priya.patel@example.org")[0])
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    page = client.get(link)
    assert page.status_code == 404 and "expired" in page.get_data(as_text=True)
