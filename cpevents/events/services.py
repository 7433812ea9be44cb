"""Events and award categories: the verbs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from cpevents.events.models import AwardCategory, CareStatusRule, Event, EventKind
from cpevents.events.signals import event_created
from cpevents.extensions import db

# The PROUD Awards categories the council has used; offered when a PROUD event is created.
PROUD_CATEGORIES = [
    ("Achievement in education", "Doing well at school, college, university or in training, or working hard to get back into learning."),
    ("Overcoming challenges", "Facing something hard with courage and coming through it, whatever that looked like for them."),
    ("Sport and fitness", "Effort, progress or success in a sport or in getting fit and healthy."),
    ("Creative arts", "Music, drama, dance, art, writing, film or any other creative work."),
    ("Helping others", "Volunteering, caring for others, speaking up for other young people, or making their community better."),
    ("Moving to independence", "Learning the skills to live on their own: managing money, a home, a job or an apprenticeship."),
    ("Care leaver of the year", "A care leaver whose year has been something to celebrate."),
]


def create_event(*, kind: EventKind, name: str, starts_at: datetime, venue: str, capacity: int | None, description: str,
                 min_age: int, max_age: int, by, theme: str = "", planning_credit: str = "") -> Event:
    event = Event(kind=kind, name=name, starts_at=starts_at, venue=venue, capacity=capacity, description=description,
                  theme=theme, planning_credit=planning_credit, min_age=min_age, max_age=max_age, created_by_id=getattr(by, "id", None))
    if kind == EventKind.PROUD_AWARDS:
        for position, (cat_name, cat_description) in enumerate(PROUD_CATEGORIES):
            rule = CareStatusRule.CARE_LEAVER if cat_name == "Care leaver of the year" else CareStatusRule.EITHER
            event.categories.append(AwardCategory(name=cat_name, description=cat_description, position=position, care_status_rule=rule))
    db.session.add(event)
    db.session.flush()
    event_created.send(event)  # registrations adds the default audiences of a Care Leavers Week
    return event


def update_event(event: Event, **fields) -> None:
    for name, value in fields.items():
        setattr(event, name, value)


def set_window(event: Event, opens_at: datetime, closes_at: datetime) -> None:
    event.nominations_open_at, event.nominations_close_at = opens_at, closes_at


def add_category(event: Event, **fields) -> AwardCategory:
    position = db.session.execute(select(func.coalesce(func.max(AwardCategory.position), -1)).where(AwardCategory.event_id == event.id)).scalar_one() + 1
    category = AwardCategory(position=position, **fields)
    event.categories.append(category)
    db.session.flush()
    return category


def update_category(category: AwardCategory, **fields) -> None:
    for name, value in fields.items():
        setattr(category, name, value)
