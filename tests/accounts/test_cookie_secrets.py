"""The session cookie is signed, not encrypted: whoever holds it can read it. So the authenticator
key being set up and freshly made recovery codes wait on the server (PendingSecret), with only a
handle in the cookie, and are gone once used."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import func, select, update

from cpevents.accounts.models import PendingSecret, User
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from tests.factories import (
    PASSWORD,
    csrf_from,
    make_user,
    post_form,
    session_cookie_contents,
    sign_in,
)


def _key_on_page(html: str) -> str:
    return html.split('id="setup-key">', 1)[1].split("<", 1)[0].replace(" ", "")


def _codes_on_page(html: str) -> list[str]:
    return re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", html)


def _pending() -> int:
    return db.session.execute(select(func.count()).select_from(PendingSecret)).scalar_one()


def _nothing_secret_in_cookie(app, client, *secrets):
    cookie = session_cookie_contents(app, client)
    for secret in secrets:
        assert secret not in cookie and secret.replace("-", "") not in cookie, "a secret is readable in the session cookie"


def test_setting_up_while_signing_in_keeps_the_key_and_the_codes_out_of_the_cookie(app, client):
    user = make_user(Role.ORGANISER)
    post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    html = client.get("/sign-in/set-up-authenticator").get_data(as_text=True)
    secret = _key_on_page(html)
    _nothing_secret_in_cookie(app, client, secret)
    # Reloading shows the same key, so a phone that scanned it still works.
    assert _key_on_page(client.get("/sign-in/set-up-authenticator").get_data(as_text=True)) == secret
    response = client.post("/sign-in/set-up-authenticator", data={"csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/account/recovery-codes"
    _nothing_secret_in_cookie(app, client, secret)
    codes = _codes_on_page(client.get("/account/recovery-codes").get_data(as_text=True))
    assert len(codes) == 10
    _nothing_secret_in_cookie(app, client, secret, *codes)
    # Shown once, and nothing is left waiting on the server.
    assert client.get("/account/recovery-codes").headers["Location"] == "/account"
    assert _pending() == 0


def test_setting_up_from_the_account_page_keeps_the_key_and_the_codes_out_of_the_cookie(app, client):
    user = make_user(Role.NOMINATOR)
    sign_in(client, user)
    html = client.get("/account/two-factor").get_data(as_text=True)
    secret = _key_on_page(html)
    _nothing_secret_in_cookie(app, client, secret)
    wrong = client.post("/account/two-factor", data={"csrf_token": csrf_from(html), "code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert wrong.status_code == 400 and _key_on_page(wrong.get_data(as_text=True)) == secret
    client.post("/account/two-factor", data={"csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now()})
    codes = _codes_on_page(client.get("/account/recovery-codes").get_data(as_text=True))
    assert len(codes) == 10
    _nothing_secret_in_cookie(app, client, secret, *codes)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    assert _pending() == 0


def test_new_recovery_codes_are_not_in_the_cookie(app, client):
    user = make_user(Role.ORGANISER, totp=True)
    sign_in(client, user)
    post_form(client, "/account/recovery-codes", {}, get_path="/account")
    codes = _codes_on_page(client.get("/account/recovery-codes").get_data(as_text=True))
    assert len(codes) == 10
    _nothing_secret_in_cookie(app, client, *codes)
    assert _pending() == 0


def test_a_handle_from_another_account_or_too_old_shows_nothing(app, client):
    owner = make_user(Role.ORGANISER, totp=True)
    sign_in(client, owner)
    post_form(client, "/account/recovery-codes", {}, get_path="/account")
    with client.session_transaction() as session:
        handle = session["recovery_codes"]
    # Someone else's session with the same handle planted gets nothing.
    other = app.test_client()
    sign_in(other, make_user(Role.NOMINATOR))
    with other.session_transaction() as session:
        session["recovery_codes"] = handle
    assert other.get("/account/recovery-codes").headers["Location"] == "/account"
    # Older than 30 minutes: gone.
    db.session.execute(update(PendingSecret).values(created_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    assert client.get("/account/recovery-codes").headers["Location"] == "/account"
