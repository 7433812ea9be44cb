"""The organisers' page "What we keep and for how long", rendered from the retention schedule.

Its own blueprint (not `privacy/views.py`) so the other issue 14 pages in this package stay apart."""

from __future__ import annotations

from flask import Blueprint, render_template

from cpevents.core.access import roles_required
from cpevents.core.enums import Role

bp = Blueprint("retention", __name__)


@bp.get("/organiser/retention")
@roles_required(Role.ORGANISER)
def schedule():
    return render_template("privacy/retention.html")
