"""The privacy notice for young people: `/privacy/young-people`, public (no sign-in, no link).

Written for a young person of 11 or 12: short sentences, headings as the questions they ask.
How long things are kept comes from the same settings as the retention schedule, so the notice
and what the service deletes cannot drift apart (cpevents/privacy/wording.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from cpevents.core.access import public
from cpevents.privacy.wording import young_peoples_periods

bp = Blueprint("privacy_notice", __name__)


@bp.get("/privacy/young-people")
@public
def young_people():
    return render_template("privacy/young_people.html", periods=young_peoples_periods(current_app.config))
