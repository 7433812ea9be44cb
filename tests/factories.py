"""Factories and request helpers for tests: accounts (make_user), signing in, posting a form
with its CSRF token, counting a page's queries. Import from here, never from conftest (which
keeps only fixtures)."""

from __future__ import annotations

import re

import pyotp

from cpevents.accounts.models import User
from cpevents.accounts.passwords import hash_password
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db

PASSWORD = "correct horse battery staple"


_counter = iter(range(1, 10_000_000))


def make_user(*roles: Role, email: str | None = None, name: str = "Sam Example", password: str = PASSWORD,
              verified: bool = True, totp: bool = False, active: bool = True, approved: bool = True, **fields) -> User:
    n = next(_counter)
    user = User(
        email=email or f"person{n}@example.org",
        name=name,
        organisation=fields.pop("organisation", "Children's social care"),
        job_title=fields.pop("job_title", "Social worker"),
        password_hash=hash_password(password) if password else None,
        email_verified_at=utcnow() if verified else None,
        deactivated_at=None if active else utcnow(),
        approved_at=utcnow() if approved else None,
        **fields,
    )
    user.set_roles(set(roles or (Role.NOMINATOR,)))
    if totp:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
    db.session.add(user)
    db.session.commit()
    return user


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on page"
    return match.group(1)


def post_form(client, path: str, data: dict, get_path: str | None = None, **kwargs):
    """GET the page for its CSRF token, then POST the form like a browser would."""
    page = client.get(get_path or path)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def next_code(user: User, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return totp.at(utcnow(), offset_steps)


def sign_in(client, user: User, password: str = PASSWORD):
    response = post_form(client, "/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if response.headers["Location"].endswith("/sign-in/code"):
        response = post_form(client, "/sign-in/code", {"code": next_code(user)})
        assert response.status_code == 302
    return response


def queries_for(client, path: str) -> int:
    """How many SQL statements one GET of `path` runs (to show it does not grow with rows)."""
    from sqlalchemy import event

    statements = []
    engine = db.engines[None]

    def count(*args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def session_cookie_contents(app, client) -> str:
    """What anyone holding the browser's session cookie can read: the cookie is signed, not
    encrypted, so its payload decodes without the secret key (here with it, the same thing)."""
    import json

    from flask.sessions import SecureCookieSessionInterface

    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return ""
    data = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value)
    return json.dumps(data, default=str)
