"""Shared fixtures.

- The database is built once per run by the Alembic migrations (not create_all), on SQLite
  by default or on PostgreSQL when DATABASE_URL is set (in its own schema, cpevents_test).
- Each test runs inside a transaction on one connection and is rolled back at the end;
  the app's own commits become SAVEPOINT releases (join_transaction_mode="create_savepoint").
- Email goes over real SMTP to an aiosmtpd sink running in this process.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pyotp
import pytest
from aiosmtpd.controller import Controller
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from cpevents import create_app
from cpevents.accounts.models import User
from cpevents.accounts.passwords import hash_password
from cpevents.config import TestConfig
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db, limiter

# The app refuses to start without CPEVENTS_ENV (issue 15). Tests build their apps from TestConfig;
# anything that reads the environment (`create_app()`, a `flask` started by a test) gets `test` too,
# whatever the shell exported.
os.environ["CPEVENTS_ENV"] = "test"

PASSWORD = "correct horse battery staple"
PG_SCHEMA = "cpevents_test"


# --- database ----------------------------------------------------------------------------------


def postgres_url(schema: str) -> str | None:
    """DATABASE_URL pointed at its own schema, which is emptied first; None when not on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    schema += os.environ.get("PYTEST_XDIST_WORKER", "")  # pytest -n: each worker its own schema
    # Several checkouts testing on one server at once (worktrees): give each its own suffix.
    schema += os.environ.get("CPEVENTS_TEST_SCHEMA_SUFFIX", "")
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def sqlite_url(name: str) -> str:
    path = os.path.join(tempfile.mkdtemp(prefix="cpevents-"), name)
    return f"sqlite:///{path}"


# --- email -------------------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        # Functions that run the outbox worker once for an app under test (see the app fixture).
        self.drains: list = []
        self._lock = threading.Lock()
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"  # lets tests see an undeliverable address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["subject"]), "message": message})
        return "250 OK"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list[dict]:
        with self._lock:
            return [m for m in self.messages if address in m["to"]]

    def deliver(self) -> None:
        """Run the outbox worker once, as `flask outbox work --once` would."""
        for drain in self.drains:
            drain()

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.deliver()
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} email(s) to {address}, got {len(self.to(address))}")

    @staticmethod
    def text(item: dict) -> str:
        return item["message"].get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(item: dict) -> str:
        return item["message"].get_body(preferencelist=("html",)).get_content()

    def link(self, item: dict) -> str:
        """The path of the first link to this service in the plain-text part."""
        match = re.search(r"https?://\S+", self.text(item))
        assert match, "no link in email"
        return urlsplit(match.group(0)).path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


# --- the app -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_url():
    return postgres_url(PG_SCHEMA) or sqlite_url("test.sqlite3")


class RequestClient(FlaskClient):
    """Each request gets its own app context, as in production, even though the test itself
    holds one (for factories). Otherwise Flask reuses the test's context, and `g` (where
    Flask-Login and Flask-WTF cache the user and the CSRF token) would leak between requests."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(scope="session")
def app(database_url, smtp_sink):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_PORT": smtp_sink.port})
    app.test_client_class = RequestClient
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    smtp_sink.drains.append(lambda: run_outbox(app))
    return app


def run_outbox(app):
    from cpevents.mail.services import work_once

    with app.app_context():
        return work_once()


@pytest.fixture(autouse=True)
def _limiter_kept():
    """A test that builds its own app (a production config on Redis, say) re-binds the one shared
    Flask-Limiter to that app's store; put the session app's store back afterwards, so the next
    test's `limiter.reset()` never reaches a Redis that test pointed at."""
    saved = dict(vars(limiter))
    try:
        yield
    finally:
        vars(limiter).clear()
        vars(limiter).update(saved)


@pytest.fixture(autouse=True)
def _isolated(request, app, smtp_sink, _limiter_kept):
    """Every test in one rolled-back transaction; limits and mailbox emptied."""
    if "no_db_isolation" in request.keywords:
        yield
        return
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        original = db.session
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        limiter.reset()
        smtp_sink.clear()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            engines[None] = engine
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


# --- factories -------------------------------------------------------------------------------------

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
