"""Demo seating (issue 18): the "Celebration tea (demo)" event (cpevents/door/demo.py) gets five
tables of six, table 1 near the door, and its parties seated by the first pass. Idempotent: tables
are added once, and the first pass only seats parties without a table (so a newcomer's own moves
by hand stay when the demo is seeded again)."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.seating.services import add_table, first_pass, tables_of

TABLES = [("1", 6, True), ("2", 6, False), ("3", 6, False), ("4", 6, False), ("5", 6, False)]


def seed_seating(organiser, event_public_id: str | None) -> dict:
    event = db.session.execute(select(Event).where(Event.public_id == event_public_id)).scalar_one_or_none() if event_public_id else None
    if event is None:
        return {}
    if not tables_of(event):
        for name, seats, near_door in TABLES:
            add_table(event, name=name, seats=seats, near_door=near_door)
    first_pass(event, by=organiser)
    db.session.flush()
    return {"seating_tables": len(tables_of(event))}
