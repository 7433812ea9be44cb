"""Read-side queries for the registration pages. A fixed number of statements per page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import case, func, select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus


@dataclass
class AudienceCount:
    audience: EventAudience
    confirmed: int
    waiting: int
    cancelled: int

    @property
    def free(self) -> int | None:
        return None if self.audience.capacity is None else max(self.audience.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.free == 0


def audiences(event: Event) -> list[EventAudience]:
    return list(db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id).order_by(EventAudience.position, EventAudience.id)).scalars().all())


def open_audiences(event: Event) -> list[EventAudience]:
    return [a for a in audiences(event) if a.registration_open]


def audience_counts(event: Event) -> list[AudienceCount]:
    """Each audience with its confirmed, waiting and cancelled counts: two statements."""
    rows = audiences(event)
    counts = {
        audience_id: (confirmed, waiting, cancelled)
        for audience_id, confirmed, waiting, cancelled in db.session.execute(
            select(
                Registration.audience_id,
                func.sum(case((Registration.status == RegistrationStatus.CONFIRMED, 1), else_=0)),
                func.sum(case((Registration.status == RegistrationStatus.WAITING, 1), else_=0)),
                func.sum(case((Registration.status == RegistrationStatus.CANCELLED, 1), else_=0)),
            )
            .where(Registration.event_id == event.id)
            .group_by(Registration.audience_id)
        ).all()
    }
    return [AudienceCount(a, *(int(n or 0) for n in counts.get(a.id, (0, 0, 0)))) for a in rows]


def event_page_audiences(event: Event) -> dict[str, list[AudienceCount]]:
    """Connected to cpevents.events.signals.event_page in create_app: the event page's audiences."""
    return {"audiences": audience_counts(event)}


def _list_order() -> tuple:
    """Audience by audience: those with a place, then the waiting list in order, then cancelled."""
    status = case(
        (Registration.status == RegistrationStatus.CONFIRMED, 0),
        (Registration.status == RegistrationStatus.WAITING, 1),
        else_=2,
    )
    return (Registration.audience_id, status, Registration.waiting_since, Registration.created_at, Registration.id)


def registrations(event: Event, audience: EventAudience | None = None, include_cancelled: bool = True) -> list[Registration]:
    """In the order of the list: those with a place, then the waiting list in order, then cancelled."""
    stmt = select(Registration).where(Registration.event_id == event.id)
    if audience is not None:
        stmt = stmt.where(Registration.audience_id == audience.id)
    if not include_cancelled:
        stmt = stmt.where(Registration.status != RegistrationStatus.CANCELLED)
    stmt = stmt.order_by(*_list_order())
    return list(db.session.execute(stmt).scalars().all())


EXPORT_BATCH = 500


def registration_batches(event_id: int) -> Iterator[list[Registration]]:
    """Every registration of the event in list order, for the download, EXPORT_BATCH at a time
    (the ids first, then one query a batch): one batch of records in memory however many there
    are (issue 19)."""
    ids = db.session.execute(select(Registration.id).where(Registration.event_id == event_id).order_by(*_list_order())).scalars().all()
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = ids[start : start + EXPORT_BATCH]
        loaded = {r.id: r for r in db.session.execute(select(Registration).where(Registration.id.in_(batch))).scalars()}
        yield [loaded[i] for i in batch if i in loaded]
