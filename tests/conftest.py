"""Shared fixtures (only fixtures: factories and helpers are in tests/factories.py and
tests/support.py, and no test imports this file).

- The database is built once per run by the Alembic migrations (not create_all), on SQLite
  by default or on PostgreSQL when DATABASE_URL is set (in its own schema, cpevents_test).
- Each test runs inside a transaction on one connection and is rolled back at the end;
  the app's own commits become SAVEPOINT releases (join_transaction_mode="create_savepoint").
- Email goes over real SMTP to an aiosmtpd sink running in this process.
"""

from __future__ import annotations

import os

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.extensions import db, limiter
from tests.mail.notify_server import API_KEY, TEMPLATE_ID, NotifyServer
from tests.support import SmtpSink, postgres_url, run_outbox, sqlite_url

# The app refuses to start without CPEVENTS_ENV (issue 15). Tests build their apps from TestConfig;
# anything that reads the environment (`create_app()`, a `flask` started by a test) gets `test` too,
# whatever the shell exported.
os.environ["CPEVENTS_ENV"] = "test"

PG_SCHEMA = "cpevents_test"


# --- email ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def notify_server():
    server = NotifyServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notify(app, notify_server, monkeypatch):
    """Texts on (issue 17), sent to the local Notify stand-in (tests/mail/notify_server.py); every
    request the app makes must be one Notify would accept as well formed."""
    notify_server.clear()
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATE_TEXT", TEMPLATE_ID)
    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", notify_server.base_url)
    yield notify_server
    assert notify_server.problems == []


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


