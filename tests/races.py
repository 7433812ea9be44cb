"""What every PostgreSQL race test shares: an app on a schema of its own (migrated, then dropped),
and a way to start many requests at the same moment behind a barrier.

SQLite lets one writer in at a time, so these tests run only on PostgreSQL, with real commits
(no per-test rollback)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.extensions import db
from tests.support import postgres_url

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))


def postgres_only(what: str) -> list:
    """The marks of a race test module: `pytestmark = postgres_only("concurrent replies")`."""
    return [
        pytest.mark.no_db_isolation,
        pytest.mark.skipif(not ON_POSTGRES, reason=f"{what} need PostgreSQL (DATABASE_URL=postgresql://...)"),
    ]


@contextmanager
def race_app(schema: str, smtp_sink, *, pool_size: int, max_overflow: int):
    """An app on its own, freshly migrated schema (with the worker's and the checkout's suffixes),
    so a race never touches the schema other tests use; the schema is dropped afterwards."""
    from flask_migrate import upgrade

    url = postgres_url(schema)
    own_schema = url.rsplit("search_path%3D", 1)[1]
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_sink.port,
                                  "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": pool_size, "max_overflow": max_overflow}})
    try:
        with app.app_context():
            upgrade()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{own_schema}" CASCADE'))
        engine.dispose()


def run_together(work: Callable, items: Iterable, timeout: float = 180) -> list:
    """Run `work(item, wait)` for every item in its own thread. Each calls `wait()` once it has
    loaded what it needs, so the racing part of every thread starts at the same moment. Returns
    what each returned (in finishing order); any exception fails the test."""
    items = list(items)
    barrier = threading.Barrier(len(items))
    results, errors = [], []

    def run(item):
        try:
            results.append(work(item, lambda: barrier.wait(timeout=60)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not errors, errors[:3]
    return results
