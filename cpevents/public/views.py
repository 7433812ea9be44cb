"""Pages anyone can read, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from cpevents.core.access import public
from cpevents.core.health import database_ok, redis_ok, uses_redis
from cpevents.extensions import db, limiter
from cpevents.mail.queries import outbox_backlog

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def start():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("public/start.html")


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    """For the load balancer, every few seconds: cheap, the database only."""
    if not database_ok():
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/healthz/ready")
@public
@limiter.exempt
def ready():
    """For monitoring: the database, Redis when rate limits are kept there, and the outbox's
    backlog (how many emails wait, how long the oldest has). 503 when the database or Redis fails;
    a backlog is reported, for an alert on its age, but does not make the service unready."""
    database = database_ok()
    redis = ("ok" if redis_ok() else "unavailable") if uses_redis() else "not used"
    outbox: dict | str | None = None
    if database:
        try:
            outbox = outbox_backlog().as_dict()
        except Exception:  # noqa: BLE001 - the database answers but not with our tables (not migrated)
            outbox = "unavailable"
        finally:
            db.session.rollback()
    is_ready = database and redis != "unavailable" and outbox != "unavailable"
    body = {"status": "ready" if is_ready else "not ready", "database": "ok" if database else "unavailable", "redis": redis, "outbox": outbox}
    return jsonify(body), 200 if is_ready else 503


@bp.get("/accessibility")
@public
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    return render_template("public/privacy.html")


@bp.get("/cookies")
@public
def cookies():
    return render_template("public/cookies.html")
