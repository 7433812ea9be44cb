"""Events and award categories: the verbs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.events.models import (
    AwardCategory,
    CareStatusRule,
    ChangeDecision,
    ChangeKind,
    Event,
    EventChange,
    EventKind,
)
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


def update_event(event: Event, *, by=None, **fields) -> EventChange | None:
    """Save the event's details. A change of date, time or venue bumps the calendar sequence and is
    recorded as an EventChange waiting for the organiser to decide whether to tell people (the
    change is saved either way). Returns that change, or None."""
    old_starts_at, old_venue = event.starts_at, event.venue
    for name, value in fields.items():
        setattr(event, name, value)
    if event.starts_at == old_starts_at and event.venue == old_venue:
        return None
    if event.is_cancelled:
        return None  # nothing to tell: the cancellation said it all
    return _record_change(event, ChangeKind.CHANGED, old_starts_at, old_venue, by=by)


def cancel_event(event: Event, *, by) -> EventChange:
    """The event will not happen: no more replies, registrations or check-in. Calendars are told
    by a file with a higher sequence, if the organiser chooses to tell people."""
    if event.is_cancelled:
        raise ValueError("This event is already cancelled")
    event.cancelled_at, event.cancelled_by_id = utcnow(), getattr(by, "id", None)
    return _record_change(event, ChangeKind.CANCELLED, event.starts_at, event.venue, by=by)


def _record_change(event: Event, kind: ChangeKind, old_starts_at: datetime, old_venue: str, *, by) -> EventChange:
    event.sequence = (event.sequence or 0) + 1
    # An earlier change nobody decided about is folded into this one: one message says it all.
    earlier = pending_change(event)
    if earlier is not None:
        old_starts_at, old_venue = earlier.old_starts_at, earlier.old_venue
        if earlier.kind == ChangeKind.CANCELLED:
            kind = ChangeKind.CANCELLED
        db.session.delete(earlier)
    change = EventChange(event=event, kind=kind, old_starts_at=old_starts_at, new_starts_at=event.starts_at, old_venue=old_venue,
                         new_venue=event.venue, sequence=event.sequence, changed_by_id=getattr(by, "id", None))
    db.session.add(change)
    db.session.flush()
    record(by, AuditAction.UPDATED, event, detail=change.in_words)
    return change


def pending_change(event: Event) -> EventChange | None:
    """The change the organiser has not yet decided about telling people of, if any."""
    return db.session.execute(
        select(EventChange).where(EventChange.event_id == event.id, EventChange.decision.is_(None)).order_by(EventChange.id.desc()).limit(1)
    ).scalar_one_or_none()


def decide_not_to_tell(change: EventChange, *, by) -> None:
    """Editing without telling is allowed: the organiser's choice is recorded."""
    change.decision, change.decided_at, change.decided_by_id = ChangeDecision.NOT_TOLD, utcnow(), getattr(by, "id", None)
    record(by, AuditAction.UPDATED, change.event, detail=f"{change.in_words}: chose not to tell people")


def event_changes(event: Event) -> list[EventChange]:
    return list(db.session.execute(
        select(EventChange).where(EventChange.event_id == event.id).order_by(EventChange.id.desc())
        .options(selectinload(EventChange.changed_by), selectinload(EventChange.decided_by))
    ).scalars())


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
