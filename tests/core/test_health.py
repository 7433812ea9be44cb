"""Health checks (issue 15): `/healthz` stays cheap for the load balancer; `/healthz/ready` tells
monitoring whether the database and Redis answer and how far behind the outbox is, with no
personal data."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.mail.models import MessageStatus, OutboxMessage

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _message(status: MessageStatus, age: timedelta, to: str = "private.person@example.org") -> OutboxMessage:
    message = OutboxMessage(template="test/plain", to_address=to, subject="A message from the team", text_body="Hello Someone",
                            html_body="<p>Hello Someone</p>", status=status, created_at=utcnow() - age)
    db.session.add(message)
    db.session.flush()
    return message


def test_ready_reports_database_and_an_empty_outbox(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "not used",
                                   "outbox": {"waiting": 0, "oldest_waiting_seconds": None}}


def test_ready_counts_email_waiting_and_the_age_of_the_oldest_without_saying_whose(client):
    _message(MessageStatus.QUEUED, timedelta(minutes=5))
    _message(MessageStatus.SENDING, timedelta(minutes=1))
    _message(MessageStatus.QUEUED, timedelta(hours=2), to="someone.else@example.org")
    _message(MessageStatus.SENT, timedelta(days=3))  # sent, failed and cancelled are not waiting
    _message(MessageStatus.FAILED, timedelta(days=2))
    _message(MessageStatus.CANCELLED, timedelta(days=1))
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    outbox = response.get_json()["outbox"]
    assert outbox["waiting"] == 3
    assert 2 * 3600 <= outbox["oldest_waiting_seconds"] < 2 * 3600 + 60
    body = response.get_data(as_text=True)
    assert "example.org" not in body and "Someone" not in body and "message from the team" not in body


def test_ready_is_public_and_never_rate_limited(client):
    for _ in range(40):
        assert client.get("/healthz/ready").status_code == 200


def test_the_load_balancer_check_stays_one_cheap_query(client):
    from sqlalchemy import event

    _message(MessageStatus.QUEUED, timedelta(minutes=5))
    statements = []
    engine = db.engines[None]
    listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s for s in statements if "SAVEPOINT" not in s.upper()] == ["SELECT 1"]


def test_ready_is_503_when_the_database_does_not_answer():
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://nobody@127.0.0.1:{_free_port()}/none?connect_timeout=2"})
    for path, expected in (("/healthz/ready", {"status": "not ready", "database": "unavailable", "redis": "not used", "outbox": None}),
                           ("/healthz", {"status": "error", "database": "unavailable"})):
        response = app.test_client().get(path)
        assert response.status_code == 503 and response.get_json() == expected
        assert "nobody" not in response.get_data(as_text=True)


# The readiness check reads RATELIMIT_STORAGE_URI from the app's settings: changed on the test app
# here, so the shared limiter itself stays in memory.

def test_ready_is_503_when_redis_does_not_answer(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", f"redis://127.0.0.1:{_free_port()}/0")
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready" and body["redis"] == "unavailable" and body["database"] == "ok"
    assert "outbox" in body and "127.0.0.1" not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # the load balancer's check asks the database only


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_ready_pings_redis_when_rate_limits_are_kept_there(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "ok" and response.get_json()["status"] == "ready"


def test_ready_is_503_when_the_database_has_not_been_migrated(tmp_path):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    response = app.test_client().get("/healthz/ready")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "database": "ok", "redis": "not used", "outbox": "unavailable"}
