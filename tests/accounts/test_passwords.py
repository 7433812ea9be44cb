"""Password reset by a single-use link valid for 60 minutes."""

from datetime import timedelta

from sqlalchemy import update

from cpevents.accounts.models import AccountToken, User
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from tests.factories import PASSWORD, csrf_from, make_user, post_form, sign_in

NEW = "lantern meadow copper"


def _reset_link(client, smtp_sink, user):
    response = post_form(client, "/forgot-password", {"email": user.email})
    assert response.headers["Location"] == "/forgot-password/sent"
    email = smtp_sink.wait_for(user.email)[0]
    assert email["subject"] == "Reset your password"
    return smtp_sink.link(email)


def test_reset_password_end_to_end(client, smtp_sink):
    user = make_user(Role.NOMINATOR)
    link = _reset_link(client, smtp_sink, user)
    page = client.get(link)
    assert page.headers["Referrer-Policy"] == "no-referrer" and "noindex" in page.headers["X-Robots-Tag"]
    token = csrf_from(page.get_data(as_text=True))
    mismatch = client.post(link, data={"csrf_token": token, "password": NEW, "confirm": NEW + "x"})
    assert mismatch.status_code == 400 and "do not match" in mismatch.get_data(as_text=True)
    done = client.post(link, data={"csrf_token": token, "password": NEW, "confirm": NEW})
    assert done.headers["Location"] == "/sign-in"
    assert client.get(link).status_code == 404  # single use
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert sign_in(client, user, NEW).headers["Location"] == "/home"
    assert any(m["subject"] == "Your password has been changed" for m in smtp_sink.wait_for(user.email, 2))


def test_reset_link_expires_after_60_minutes(client, smtp_sink):
    user = make_user(Role.NOMINATOR)
    link = _reset_link(client, smtp_sink, user)
    row = db.session.query(AccountToken).filter_by(user_id=user.id).one()
    assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(minutes=60)
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 404


def test_new_reset_link_kills_the_old_one(client, smtp_sink):
    user = make_user(Role.NOMINATOR)
    first = _reset_link(client, smtp_sink, user)
    smtp_sink.clear()
    second = _reset_link(client, smtp_sink, user)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_unknown_email_gets_same_page_and_no_email(client, smtp_sink):
    response = post_form(client, "/forgot-password", {"email": "nobody@example.org"})
    assert response.headers["Location"] == "/forgot-password/sent"
    smtp_sink.deliver()
    assert smtp_sink.to("nobody@example.org") == []


def test_reset_signs_out_other_sessions(client, app, smtp_sink):
    user = make_user(Role.NOMINATOR)
    other = app.test_client()
    sign_in(other, user)
    link = _reset_link(client, smtp_sink, user)
    page = client.get(link)
    client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "password": NEW, "confirm": NEW})
    assert other.get("/nominator").status_code == 302


def test_token_is_stored_hashed(client, smtp_sink):
    user = make_user(Role.NOMINATOR)
    link = _reset_link(client, smtp_sink, user)
    token = link.rsplit("/", 1)[1]
    row = db.session.query(AccountToken).filter_by(user_id=user.id).one()
    assert token not in row.token_hash and len(token) >= 43  # 256 bits, base64


def test_change_password_needs_the_current_one(client):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    wrong = post_form(client, "/account/password", {"current": "not it at all", "password": NEW, "confirm": NEW})
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    right = post_form(client, "/account/password", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert right.headers["Location"] == "/account"
