"""What the health checks ask (issue 15): is the database there, is the rate-limit store there.

`/healthz` (the load balancer's, every few seconds) asks only the database. `/healthz/ready` (for
monitoring) asks both, and the outbox's backlog (cpevents/mail/queries.py). Nothing here reads or
returns personal data: a failure is reported as "unavailable", never with the driver's message
(which can hold a host name or a password from a URL).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import text

from cpevents.extensions import db, limiter

TIMEOUT_SECONDS = 2.0


def database_ok() -> bool:
    """One `SELECT 1`; the session is left clean either way."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return False
    finally:
        db.session.rollback()


def uses_redis() -> bool:
    return urlsplit(str(current_app.config.get("RATELIMIT_STORAGE_URI") or "")).scheme.startswith("redis")


def redis_ok() -> bool:
    """PING the rate-limit store, waiting at most TIMEOUT_SECONDS. Plain redis:// and rediss://
    with our own short-lived client; sentinel or cluster URLs through Flask-Limiter's store."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "")
    if urlsplit(uri).scheme not in ("redis", "rediss"):
        try:
            return bool(limiter.storage.check())
        except Exception:  # noqa: BLE001
            return False
    import redis

    client = redis.Redis.from_url(uri, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - refused, timed out, wrong password: not ready
        return False
    finally:
        client.close()
