"""Pooled connections are pinged only after sitting idle (cpevents/core/pool.py, issue 19): a
connection just given back is used without the extra round trip; one idle for a while is pinged,
and one found dead is replaced before the request sees it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from cpevents.config import Config
from cpevents.core import pool


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(pool, "time", fake)
    return fake


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    pool.ping_when_idle(engine, idle_seconds=10)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine, monkeypatch):
    calls: list[object] = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection):
        calls.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return calls


def _backend(engine) -> object:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        conn.execute(text("SELECT 1"))
        return id(conn.connection.dbapi_connection)


def test_a_connection_used_a_moment_ago_is_not_pinged(engine, pings, clock):
    first = _backend(engine)
    clock.now += 9.9
    assert _backend(engine) == first
    assert pings == []


def test_a_connection_idle_for_a_while_is_pinged_and_kept(engine, pings, clock):
    first = _backend(engine)
    clock.now += 10
    assert _backend(engine) == first
    assert len(pings) == 1


def test_a_connection_that_died_while_idle_is_replaced_before_use(engine, clock, monkeypatch):
    first = _backend(engine)
    dbapi_error = engine.dialect.loaded_dbapi.OperationalError

    def dead(dbapi_connection):
        raise dbapi_error("server closed the connection unexpectedly")

    monkeypatch.setattr(engine.dialect, "do_ping", dead)
    monkeypatch.setattr(engine.dialect, "is_disconnect", lambda *args: True)
    clock.now += 60
    with engine.connect() as conn:  # the pool threw the dead one away and connected again
        monkeypatch.undo()
        conn.execute(text("SELECT 1"))
        replaced = conn.connection.dbapi_connection
    assert replaced is not None
    assert _backend(engine) != first or engine.dialect.name == "sqlite"


def test_a_postgresql_backend_killed_while_idle_is_replaced(engine, clock, database_url):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: a real server ending a pooled connection")
    first = _backend(engine)
    killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
    killer.dispose()
    clock.now += 60
    assert _backend(engine) != first  # pinged, found dead, replaced: no error reaches the caller


def test_a_ping_error_that_is_not_a_disconnect_is_raised(engine, clock, monkeypatch):
    _backend(engine)
    dbapi_error = engine.dialect.loaded_dbapi.ProgrammingError
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: (_ for _ in ()).throw(dbapi_error("something else")))
    monkeypatch.setattr(engine.dialect, "is_disconnect", lambda *args: False)
    clock.now += 60
    with pytest.raises(Exception, match="something else"), engine.connect():
        pass


def test_the_app_pings_only_idle_connections(app):
    assert "pool_pre_ping" not in Config.SQLALCHEMY_ENGINE_OPTIONS
    assert Config.SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"] == 1800
    assert "pool_pre_ping" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert app.config["DATABASE_PING_AFTER_IDLE"] == 10
