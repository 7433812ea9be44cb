"""Pages anyone can read, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from cpevents.core.access import public
from cpevents.extensions import db, limiter

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
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


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
