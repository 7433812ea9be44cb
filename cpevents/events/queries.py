from __future__ import annotations

from sqlalchemy import func, select

from cpevents.core.time import utcnow
from cpevents.events.models import Event, EventChange
from cpevents.extensions import db


def open_for_nominations() -> list[Event]:
    """Events whose nomination window is open now, soonest first."""
    now = utcnow()
    return list(
        db.session.execute(
            select(Event).where(Event.nominations_open_at <= now, Event.nominations_close_at > now).order_by(Event.starts_at)
        )
        .scalars()
        .all()
    )


def undecided_changes_by_event() -> dict[int, int]:
    """Changes of date, time or venue (or cancellings) the organiser has not yet decided whether to
    tell people about, per event: one grouped query."""
    rows = db.session.execute(select(EventChange.event_id, func.count()).where(EventChange.decision.is_(None)).group_by(EventChange.event_id))
    return {event_id: n for event_id, n in rows}
