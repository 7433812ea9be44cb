"""Read-side queries for the door: the list, the counts, a helper's events.

The door pages are given `DoorRow`s, never the young person's record, so a template cannot show
what the door must not see: the do-not-publish and contact-restriction flags become one marker,
"Speak to an organiser", and the contact-restriction note is never read here at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from cpevents.core.time import LONDON, utcnow
from cpevents.door.models import EventDoorHelper
from cpevents.door.services import door_name
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations.models import (
    ACCESS_LABELS,
    AgeGroup,
    Guest,
    GuestApproval,
    Invitation,
    InvitationStatus,
    NameRead,
)
from cpevents.seating.queries import EventSeats, event_seats, table_of_invitation
from cpevents.young_people.models import YoungPerson

NAME_READ_WORDS = {NameRead.FIRST_NAME: "first name", NameRead.FULL_NAME: "full name", NameRead.NO_NAME: "no name"}


@dataclass(frozen=True)
class Marker:
    text: str
    colour: str  # a GOV.UK tag colour


@dataclass
class DoorGuest:
    public_id: str
    name: str
    age: str
    checked_in_at: datetime | None
    added_at_door: bool
    waiting_approval: bool
    photos_ok: bool = False  # issue 16: guests are asked about photos too


@dataclass
class DoorRow:
    public_id: str  # the invitation's
    name: str
    checked_in_at: datetime | None
    markers: list[Marker]
    guests: list[DoorGuest] = field(default_factory=list)
    coming: bool = True
    may_add_guest: bool = True  # False: an organiser must agree to any guest
    table: str = ""  # issue 18: where the party sits ("Table 3"), if seated

    @property
    def anchor(self) -> str:
        return "p-" + self.public_id

    @property
    def guests_waiting(self) -> list[DoorGuest]:
        return [g for g in self.guests if g.checked_in_at is None and not g.waiting_approval]

    @property
    def everyone_in(self) -> bool:
        return self.checked_in_at is not None and not self.guests_waiting


class MarkerAnswers(Protocol):
    """What markers_for reads from an invitation: an Invitation, or _Answers from a plain row."""

    @property
    def photos_ok(self) -> bool: ...
    @property
    def name_read(self) -> NameRead: ...
    @property
    def door_note(self) -> str: ...
    @property
    def check_identity(self) -> bool: ...
    @property
    def access_words(self) -> str: ...


class MarkerPerson(Protocol):
    """What markers_for reads from a young person: a YoungPerson, or _Person from a plain row."""

    @property
    def do_not_publish(self) -> bool: ...
    @property
    def contact_restriction(self) -> bool: ...
    @property
    def name_pronunciation(self) -> str: ...


def markers_for(invitation: MarkerAnswers, person: MarkerPerson) -> list[Marker]:
    markers = []
    if person.do_not_publish or person.contact_restriction or invitation.check_identity:
        markers.append(Marker("Speak to an organiser", "red"))
    if not invitation.photos_ok:  # their answer, and a worker's agreement where needed (issue 16)
        markers.append(Marker("No photos", "orange"))
    markers.append(Marker("Name read out: " + NAME_READ_WORDS[invitation.name_read], "blue"))
    if invitation.name_read != NameRead.NO_NAME and person.name_pronunciation:  # their own hint (issue 16)
        markers.append(Marker("Say it: " + person.name_pronunciation, "blue"))
    if invitation.access_words:
        markers.append(Marker("Access: " + invitation.access_words, "purple"))
    if invitation.door_note:
        markers.append(Marker("Note: " + invitation.door_note, "yellow"))
    return markers


# The columns the door needs, read as plain rows (no ORM objects: a list of 60 renders in a third
# of the time). The contact-restriction note is not one of them.
_COLUMNS = (Invitation.id, Invitation.public_id, Invitation.status, Invitation.checked_in_at, Invitation.photos_ok, Invitation.name_read,
            Invitation.access, Invitation.access_other, Invitation.door_note, Invitation.check_identity, YoungPerson.first_name,
            YoungPerson.last_name, YoungPerson.preferred_name, YoungPerson.do_not_publish, YoungPerson.contact_restriction,
            YoungPerson.name_pronunciation)
_GUEST_COLUMNS = (Guest.invitation_id, Guest.public_id, Guest.name, Guest.age_group, Guest.checked_in_at, Guest.added_at_door, Guest.approval, Guest.photo_consent)


class _Person:
    __slots__ = ("first_name", "last_name", "preferred_name", "do_not_publish", "contact_restriction", "name_pronunciation")
    first_name: str
    last_name: str
    preferred_name: str
    do_not_publish: bool
    contact_restriction: bool
    name_pronunciation: str

    def __init__(self, row):
        for name in self.__slots__:
            setattr(self, name, getattr(row, name))

    @property
    def first_or_preferred(self) -> str:
        return self.preferred_name or self.first_name


def _rows(statement, tables: dict[int, str] | None = None) -> list[DoorRow]:
    found = db.session.execute(statement).all()
    tables = tables or {}
    guests: dict[int, list[DoorGuest]] = {}
    if found:
        for g in db.session.execute(
            select(*_GUEST_COLUMNS).where(Guest.invitation_id.in_([r.id for r in found]), Guest.approval != GuestApproval.CANNOT_COME, Guest.waiting_since.is_(None))
            .order_by(Guest.position, Guest.id)
        ):
            guests.setdefault(g.invitation_id, []).append(
                DoorGuest(g.public_id, g.name, _AGE[g.age_group], g.checked_in_at, g.added_at_door, g.approval == GuestApproval.TO_APPROVE,
                          photos_ok=g.photo_consent)
            )
    rows = []
    for r in found:
        person = _Person(r)
        markers = markers_for(_Answers(r, _access_words(r.access, r.access_other)), person)
        rows.append(DoorRow(r.public_id, door_name(person), r.checked_in_at, markers, guests.get(r.id, []),
                            coming=r.status == InvitationStatus.COMING, may_add_guest=not (person.contact_restriction or person.do_not_publish),
                            table=tables.get(r.id, "")))
    return rows


class _Answers:
    """What markers_for reads from an invitation, from a plain row."""

    photos_ok: bool
    name_read: NameRead
    door_note: str
    check_identity: bool

    def __init__(self, row, access_words: str):
        self.photos_ok, self.name_read, self.door_note, self.check_identity = row.photos_ok, row.name_read, row.door_note, row.check_identity
        self.access_words = access_words


def _access_words(codes: str, other: str) -> str:
    """As Invitation.access_words, from the stored columns."""
    words = [ACCESS_LABELS.get(c, c) for c in codes.split(",") if c and c != "other"]
    return ", ".join(words + ([other] if other else []))


_AGE = {AgeGroup.ADULT: "adult", AgeGroup.CHILD: "child"}


def door_list(event: Event, q: str = "", seats: EventSeats | None = None) -> list[DoorRow]:
    """Everyone holding a place (coming), by first name, with their table; `q` matches the start of
    the first or preferred name (any case). Three queries whatever the number of rows (two when
    given the event's `seats`)."""
    seats = seats if seats is not None else event_seats(event)
    statement = (
        select(*_COLUMNS)
        .join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
        .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING)
    )
    q = " ".join((q or "").replace("\x00", "").split())[:80].lower()
    if q:
        pattern = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(func.lower(YoungPerson.first_name).like(pattern, escape="\\"),
                                        func.lower(YoungPerson.preferred_name).like(pattern, escape="\\")))
    name = func.lower(case((YoungPerson.preferred_name != "", YoungPerson.preferred_name), else_=YoungPerson.first_name))
    statement = statement.order_by(name, func.lower(YoungPerson.last_name), Invitation.id)
    return _rows(statement, seats.invitations)


def door_row(invitation: Invitation) -> DoorRow:
    statement = select(*_COLUMNS).join(YoungPerson, Invitation.young_person_id == YoungPerson.id).where(Invitation.id == invitation.id)
    return _rows(statement, {invitation.id: table} if (table := table_of_invitation(invitation)) else None)[0]


@dataclass(frozen=True)
class Counts:
    young_people_arrived: int
    young_people_expected: int
    guests_arrived: int
    guests_expected: int
    # People who registered (professionals, councillors, ...): (audience, arrived, with a place).
    audiences: tuple[tuple[str, int, int], ...] = ()


def counts(event: Event) -> Counts:
    """Arrived and expected, young people and guests apart: two queries."""
    yp = db.session.execute(
        select(func.count(Invitation.id), func.count(Invitation.checked_in_at))
        .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING)
    ).one()
    guests = db.session.execute(
        select(func.count(Guest.id), func.count(Guest.checked_in_at))
        .join(Invitation, Guest.invitation_id == Invitation.id)
        .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING, Guest.approval != GuestApproval.CANNOT_COME, Guest.waiting_since.is_(None))
    ).one()
    return Counts(yp[1], yp[0], guests[1], guests[0], tuple(audience_counts(event)))


def audience_counts(event: Event) -> list[tuple[str, int, int]]:
    """Per audience with anyone holding a place: (name, arrived, places held). One query."""
    from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus

    return [
        (name, arrived, held)
        for name, arrived, held in db.session.execute(
            select(EventAudience.name, func.count(Registration.checked_in_at), func.count(Registration.id))
            .join(Registration, Registration.audience_id == EventAudience.id)
            .where(EventAudience.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
            .group_by(EventAudience.id, EventAudience.name, EventAudience.position)
            .order_by(EventAudience.position, EventAudience.id)
        ).all()
    ]


@dataclass
class RegisteredRow:
    """Someone who registered for a place (a professional, a councillor): what the door needs."""

    public_id: str  # the registration's
    name: str
    organisation: str
    audience: str
    checked_in_at: datetime | None
    markers: list[Marker]
    table: str = ""  # issue 18

    @property
    def anchor(self) -> str:
        return "r-" + self.public_id


def registered_list(event: Event, q: str = "", seats: EventSeats | None = None) -> list[RegisteredRow]:
    """Everyone with a registered place, by name, with their table; `q` matches the start of any
    word of the name. Two queries whatever the number of rows (one when given the event's `seats`)."""
    seats = seats if seats is not None else event_seats(event)
    from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus

    statement = (
        select(Registration.id, Registration.public_id, Registration.name, Registration.organisation, Registration.checked_in_at, Registration.access_needs,
               EventAudience.name.label("audience"))
        .join(EventAudience, Registration.audience_id == EventAudience.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(func.lower(Registration.name), Registration.id)
    )
    q = " ".join((q or "").replace("\x00", "").split())[:80].lower()
    if q:
        pattern = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        name = func.lower(Registration.name)
        statement = statement.where(or_(name.like(pattern, escape="\\"), name.like("% " + pattern, escape="\\")))
    return [
        RegisteredRow(r.public_id, r.name, r.organisation, r.audience, r.checked_in_at,
                      [Marker("Access: " + r.access_needs, "purple")] if r.access_needs else [], table=seats.registrations.get(r.id, ""))
        for r in db.session.execute(statement)
    ]


@dataclass(frozen=True)
class HelperEvent:
    event: Event
    today: bool


def helper_events(user, now: datetime | None = None) -> list[HelperEvent]:
    """The events this door helper is given, today's and future ones, soonest first."""
    today = (now or utcnow()).astimezone(LONDON).date()
    events = db.session.execute(
        select(Event).join(EventDoorHelper, EventDoorHelper.event_id == Event.id).where(EventDoorHelper.user_id == user.id).order_by(Event.starts_at)
    ).scalars()
    return [HelperEvent(e, e.event_date == today) for e in events if e.event_date >= today]


def helpers_for(event: Event) -> list[EventDoorHelper]:
    return list(
        db.session.execute(
            select(EventDoorHelper).where(EventDoorHelper.event_id == event.id).options(selectinload(EventDoorHelper.user)).order_by(EventDoorHelper.added_at)
        ).scalars()
    )

