"""Pooled database connections: checked before use only when they have been idle a while.

SQLAlchemy's `pool_pre_ping` sends one extra round trip (`;` on psycopg) on *every* checkout,
that is on every request. On PostgreSQL a busy page makes five round trips (ping, BEGIN, two
queries, ROLLBACK; measured in docs/issue19-throughput.md), so the ping was a fifth of the wire
time of the pages young people and organisers use most.

A connection given back to the pool a moment ago is as alive as one that just answered a ping.
So the ping is sent only when the connection has sat in the pool for `idle_seconds` or more
(DATABASE_PING_AFTER_IDLE, default 10 s): after a quiet spell, when a restarted server, a
failover or a firewall dropping idle connections could have cut it. A ping that fails with a
disconnect raises `DisconnectionError`, which the pool answers by throwing the connection away
and checking out a fresh one (the same recovery `pool_pre_ping` uses), so the request never sees it.

What this gives up: a server that goes away within `idle_seconds` of a connection's last use
fails the next request on that connection once (as one going away in the middle of a request
always did); SQLAlchemy then marks the connection and every older one in the pool invalid, so
the requests after it connect afresh. `pool_recycle` (config.py) still replaces connections
older than 30 minutes without a round trip. 0 seconds pings on every checkout, as before.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

CHECKED_IN_AT = "cpevents.checked_in_at"


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection, record) -> None:
        if dbapi_connection is not None:
            record.info[CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, proxy) -> None:
        # `record.info` lives as long as the DBAPI connection: a fresh one has no time yet and
        # has just answered the connect, so it needs no ping.
        checked_in_at = record.info.get(CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("connection lost while idle in the pool") from error
            raise
