"""The demo's celebration tea has tables and everyone seated, and seeding again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.seating.models import PartySeat, SeatingTable
from cpevents.seating.parties import seating_plan


def test_demo_tea_has_tables_and_its_parties_seated(app):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        seed_demo()
        db.session.commit()
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        tables, unseated = seating_plan(event)
        assert [t.table.seats for t in tables] == [6] * 5 and [t.table.near_door for t in tables] == [True] + [False] * 4
        assert unseated == []
        near = {p.key for t in tables if t.table.near_door for p in t.parties}
        assert all(p.key in near for t in tables for p in t.parties if p.near_door)
        seats = db.session.execute(select(func.count(PartySeat.id))).scalar_one()
        seed_demo()
        db.session.commit()
        assert db.session.execute(select(func.count(PartySeat.id))).scalar_one() == seats
        assert db.session.execute(select(func.count(SeatingTable.id)).where(SeatingTable.event_id == event.id)).scalar_one() == 5
