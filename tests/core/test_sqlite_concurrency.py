"""On SQLite, two requests that each read and then write must both succeed (one waits)."""

import os
import threading
import time

import pytest
from sqlalchemy import text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.extensions import db
from tests.support import sqlite_url

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="about SQLite's locking only"),
]


def test_two_read_then_write_transactions_both_succeed():
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": sqlite_url("locking.sqlite3")})
    with app.app_context():
        db.session.execute(text("CREATE TABLE counter (n INTEGER)"))
        db.session.commit()
    errors = []

    def request_like():
        try:
            with app.app_context():
                db.session.execute(text("SELECT count(*) FROM counter")).scalar_one()  # the page reads...
                time.sleep(0.2)  # ...while the other request reads too...
                db.session.execute(text("INSERT INTO counter VALUES (1)"))  # ...then writes (the audit trail)
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=request_like) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join(timeout=20)
    assert not errors, errors
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM counter")).scalar_one() == 2


def test_pages_that_read_then_write_are_run_again_when_another_request_wrote_first():
    """GET requests read without a lock (so pages run side by side); one that then writes after
    another request wrote since it started is rolled back and run again, not shown an error."""
    from flask import request

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": sqlite_url("retry.sqlite3")})
    with app.app_context():
        db.session.execute(text("CREATE TABLE counter (n INTEGER)"))
        db.session.commit()
    runs = []

    def read_then_write():
        runs.append(request.method)
        db.session.execute(text("SELECT count(*) FROM counter")).scalar_one()
        time.sleep(0.2)
        db.session.execute(text("INSERT INTO counter VALUES (1)"))
        db.session.commit()
        return "ok"

    app.add_url_rule("/read-then-write", "read_then_write", read_then_write)
    statuses = []

    def visit():
        statuses.append(app.test_client().get("/read-then-write").status_code)

    threads = [threading.Thread(target=visit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert statuses == [200, 200]
    assert len(runs) >= 3  # at least one of the two lost the race and ran again
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM counter")).scalar_one() == 2


def test_sqlite_files_use_the_write_ahead_log():
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": sqlite_url("wal.sqlite3")})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
