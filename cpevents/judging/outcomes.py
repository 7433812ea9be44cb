"""What a nominator may know about the outcome of judging, through
status_for_nominator: nothing until the organiser releases the shortlist; then
"Shortlisted" or "Not shortlisted this time"; "Winner" only once results are published.

Looked up once per event per request (kept in flask.g), so a list of nominations costs a
fixed number of queries however long it is."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from cpevents.extensions import db
from cpevents.judging.models import DecisionKind, Panel
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus


def _event_outcomes(event_id: int) -> dict | None:
    cache = g.setdefault("_judging_outcomes", {}) if has_app_context() else {}
    if event_id not in cache:
        panel = db.session.execute(select(Panel).where(Panel.event_id == event_id)).scalar_one_or_none()
        if panel is None or panel.shortlist_released_at is None:
            cache[event_id] = None
        else:
            from cpevents.judging.queries import latest_decisions

            decisions = latest_decisions(panel.id)
            cache[event_id] = {
                "published": panel.results_published_at is not None,
                "shortlisted": {f for (f, kind), d in decisions.items() if kind == DecisionKind.SHORTLIST and d.chosen},
                "winners": {f for (f, kind), d in decisions.items() if kind == DecisionKind.WINNER and d.chosen},
            }
    return cache[event_id]


def outcome_for_nominator(file) -> str | None:
    outcome = _event_outcomes(file.event_id)
    if outcome is None:
        return None
    if outcome["published"] and file.id in outcome["winners"]:
        return "Winner"
    return "Shortlisted" if file.id in outcome["shortlisted"] else "Not shortlisted this time"


def status_for_nominator(nomination: Nomination) -> str:
    """Plain words for the nominator's list. Winners are never shown here.

    (It lives here, not on Nomination, because nominations stand below judging.)"""
    if nomination.status == NominationStatus.SENT and nomination.file is not None:
        if nomination.file.status == FileStatus.ACCEPTED:
            return outcome_for_nominator(nomination.file) or "Being judged"
        if nomination.file.status == FileStatus.NOT_ELIGIBLE:
            return "Not eligible"
    return nomination.status.label


def published_result(file) -> bool | None:
    """For the nominee's own keepsake page: None until the event's results are published (winners
    stay secret until the awards evening); then whether this file won."""
    outcome = _event_outcomes(file.event_id)
    if outcome is None or not outcome["published"]:
        return None
    return file.id in outcome["winners"]
