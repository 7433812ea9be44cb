"""Factories for registration tests: plain functions, as in tests/factories.py."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.models import EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.registrations.models import EventAudience
from cpevents.registrations.services import Details
from tests.factories import make_user

_n = iter(range(1, 10_000_000))

THEME = "Our future, our voice"
CREDIT = "Planned with the Care Leavers' Forum: Aisha, Ben and Kai"


def make_event(professionals: int | None = 40, councillors: int | None = 15, days: int = 30, organiser=None):
    """A Care Leavers' Week event with its two audiences (professionals and councillors)."""
    organiser = organiser or make_user(Role.ORGANISER, totp=True)
    event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name=f"Care Leavers' Week {next(_n)}", starts_at=utcnow() + timedelta(days=days),
                         venue="The Forum, Market Street", capacity=60, description="An afternoon of music, food and conversation.",
                         min_age=16, max_age=25, by=organiser, theme=THEME, planning_credit=CREDIT)
    professionals_row, councillors_row = audiences(event)
    professionals_row.capacity, councillors_row.capacity = professionals, councillors
    db.session.commit()
    return event, organiser


def audiences(event) -> list[EventAudience]:
    return db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id).order_by(EventAudience.position)).scalars().all()


def details(**fields) -> Details:
    n = next(_n)
    data = {"name": f"Pat Person {n}", "email": f"pat{n}@example.org", "organisation": "Leaving care team", "role": "Personal adviser"}
    data.update(fields)
    return Details(**data)


def form_data(audience_row, **fields) -> dict:
    n = next(_n)
    data = {"name": f"Cllr Jo Bloggs {n}", "organisation": "County Council", "role": "County councillor", "email": f"cllr{n}@example.org",
            "audience": audience_row.public_id, "access_needs": "", "dietary_needs": ""}
    data.update(fields)
    return data
