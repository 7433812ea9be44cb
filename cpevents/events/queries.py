from __future__ import annotations

from sqlalchemy import select

from cpevents.core.time import utcnow
from cpevents.events.models import Event
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
