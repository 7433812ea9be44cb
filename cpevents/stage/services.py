"""The verbs of the stage: move an award up or down the running order, and print a sealed sheet.
They never commit: the view does."""

from __future__ import annotations

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.events.models import AwardCategory, Event
from cpevents.extensions import db
from cpevents.stage.models import SealedPrint
from cpevents.stage.queries import AwardSlot, awards
from cpevents.young_people.models import YoungPerson


class StageError(Exception):
    """Refused, with a message in plain words for the organiser."""


def move_award(event: Event, category: AwardCategory, direction: str) -> None:
    """Swap the award with the one before ("up") or after ("down") it. Positions are written
    again as 0, 1, 2... so awards that shared a position (made before there was an order) get one
    each, in the order they were shown."""
    if direction not in ("up", "down"):
        raise StageError("Choose whether to move the award up or down")
    order = awards(event)
    index = next((i for i, c in enumerate(order) if c.id == category.id), None)
    if index is None:
        raise StageError("That award is not part of this event")
    other = index - 1 if direction == "up" else index + 1
    if other < 0:
        raise StageError(f"{category.name} is already first")
    if other >= len(order):
        raise StageError(f"{category.name} is already last")
    order[index], order[other] = order[other], order[index]
    for position, c in enumerate(order):
        c.position = position
    db.session.flush()


def print_sealed(event: Event, slot: AwardSlot, *, as_pdf: bool, by) -> SealedPrint:
    """Record one printing of the sealed sheet (the version that names the winner): a row the
    running order page lists, and an audit entry on each winner's record (who looked at who won)."""
    printed = SealedPrint(event_id=event.id, category_id=slot.category.id, printed_by_id=by.id, printed_at=utcnow(), as_pdf=as_pdf)
    db.session.add(printed)
    db.session.flush()
    if not slot.winners:
        record(by, AuditAction.VIEWED, slot.category, detail="printed the sealed presenter's sheet (no winner on it yet)")
    for winner in slot.winners:
        person = db.session.get(YoungPerson, winner.young_person_id)
        record(by, AuditAction.VIEWED, slot.category, young_person=person, detail="printed the sealed presenter's sheet naming the winner")
    return printed
