"""The celebration objective report, for organisers and the board. Aggregates only."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from markupsafe import Markup

from cpevents.core.access import roles_required
from cpevents.core.cache import PartCache, current_version
from cpevents.core.enums import Role
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import EventKind
from cpevents.reports.exports import action_plan_rows, to_xlsx
from cpevents.reports.queries import DATA_VERSION, SMALL, Period, is_small, objective_report, shown

bp = Blueprint("reports", __name__, url_prefix="/reports")

FIRST_YEAR = 2018  # the 2018–2022 strategy


def _period() -> tuple[Period, bool]:
    """The strategy year asked for (?year=2025 means April 2025 to March 2026), or the current one."""
    current = Period.current()
    raw = request.args.get("year", "")
    if not raw:
        return current, True
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= current.start_year:
        return Period(int(raw)), True
    return current, False


# The report's body is kept per data version and day (cpevents/core/cache.py): the figures
# change only when the data does, or when a champion's 12 months run out (a day at most late).
BODIES = PartCache(size=32)


@bp.get("/objective")
@roles_required(Role.ORGANISER, Role.BOARD)
def objective():
    period, valid = _period()
    version = current_version(DATA_VERSION)
    key = (period.start_year, utcnow().astimezone(LONDON).date(), version)
    body = BODIES.get(key) if version else None
    if body is None:
        report = objective_report(period)
        years = [Period(y) for y in range(Period.current().start_year, FIRST_YEAR - 1, -1)]
        body = Markup(render_template("reports/_body.html", report=report, period=period, years=years, shown=shown,  # noqa: S704 - autoescaped template output
                                      is_small=is_small, small=SMALL, plan=action_plan_rows(report)[1:], kinds=EventKind))
        if version:
            BODIES.put(key, body)
    return render_template("reports/objective.html", body=body, period=period, valid=valid)


@bp.get("/objective.xlsx")
@roles_required(Role.ORGANISER, Role.BOARD)
def objective_xlsx():
    period, _ = _period()
    response = make_response(to_xlsx(objective_report(period)))
    response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = f'attachment; filename="celebration-objective-{period.start_year}.xlsx"'
    return response
