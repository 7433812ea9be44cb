"""SQLite, the single-machine default: how transactions start, and what a page does when it loses
a race for the write lock.

- WAL journal: readers never wait for a writer, and a writer never waits for readers.
- Transactions for GET and HEAD requests start DEFERRED (a read snapshot, no lock), so pages that
  only read run side by side in every worker. Everything else (form posts, the outbox worker,
  CLI commands) starts IMMEDIATE, taking the write lock at the start and waiting up to 5 s for it.
- A GET that reads and then writes (a file page writes the audit trail; any request may note that
  a session is still in use) can find that another request wrote since its snapshot began. SQLite
  then refuses the write at once ("database is locked", SQLITE_BUSY_SNAPSHOT): the request is
  rolled back and run once more from the start, this time with IMMEDIATE transactions, so it
  queues for the write lock like a form post instead of racing again. Only GET and HEAD are
  retried, because they must be safe to repeat.

PostgreSQL, the database for several machines, needs none of this.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

SAFE_METHODS = ("GET", "HEAD")


def sqlite_pragmas(engine) -> None:
    """Foreign keys on; SQLAlchemy (not pysqlite) starts transactions, so SAVEPOINTs work."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        if has_request_context() and request.method in SAFE_METHODS and not g.get("sqlite_write_lock_first"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _lost_the_lock(error: OperationalError) -> bool:
    return "database is locked" in str(error.orig)


class RetryingFlask(Flask):
    """Runs a GET or HEAD view again when SQLite refused its write (see the module's docstring)."""

    def dispatch_request(self):
        try:
            return super().dispatch_request()
        except OperationalError as error:
            if request.method not in SAFE_METHODS or g.get("sqlite_write_lock_first") or not _lost_the_lock(error):
                raise
            from cpevents.extensions import db

            db.session.rollback()
            g.sqlite_write_lock_first = True
            self.logger.info("SQLite write lock lost to another request; running %s again, queueing for the lock", request.path)
            return super().dispatch_request()
