"""The parties to seat at an event, and the names each page may show for them.

Three kinds of name, one home for each rule:
- `label`: the organisers' seating page: first (or preferred) name and the surname's initial, as at
  the door.
- `card_name`: a name card. A young person's chosen shown name: the surname only if they chose
  their full name, never for anyone marked do not publish or with a contact restriction. Guests by
  the name given, less the young person's surname where the young person's card leaves it off
  (a guest called "Marion Hallam" would otherwise give it away). People who registered (a
  councillor, a teacher): the name they registered with.
- `plan_name`: the table plan pinned up at the venue: no surnames at all. Young people by first
  (or preferred) name, guests less the young person's surname, registered people less their last
  word. A party whose young person is marked do not publish or has a contact restriction shows as
  reserved seats, with no names (their guests' names could point to them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus
from cpevents.registrations.models import Registration, RegistrationStatus
from cpevents.seating.models import PartySeat, SeatingTable
from cpevents.young_people.models import NameShown, YoungPerson

# Access needs that ask for a seat near the door (codes from cpevents.invitations.models.ACCESS).
NEAR_DOOR_NEEDS = frozenset({"wheelchair", "step_free", "near_exit"})
GUEST = "Guest"


@dataclass(frozen=True)
class Person:
    """One person at a table: what their name card and the table plan say."""

    card_name: str
    plan_name: str
    young_person: bool = False


@dataclass
class Party:
    key: str  # "i-<invitation public id>" or "r-<registration public id>": the move form's value
    label: str  # for organisers
    people: list[Person]
    near_door: bool
    needs: str  # access needs in words, for organisers
    order: tuple
    invitation_id: int | None = None
    registration_id: int | None = None
    table_id: int | None = None
    by_hand: bool = False
    reserved: bool = False  # the table plan shows "reserved", no names
    registered: bool = False
    public_id: str = ""

    @property
    def size(self) -> int:
        return len(self.people)

    @property
    def name(self) -> str:
        return self.label


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", (text or "").lower()) if w]


def without_surname(name: str, surname: str) -> str:
    """`name` less any word of `surname` (any case): "Marion Hallam" less "Hallam" is "Marion"."""
    drop = set(_words(surname))
    kept = []
    for word in name.split():
        parts = _words(re.sub(r"[^\w\s'’-]", "", word).strip("'’"))
        if drop and parts and all(p in drop for p in parts):
            continue
        kept.append(word)
    return " ".join(kept) or GUEST


def young_person_card_name(person: YoungPerson) -> str:
    if person.name_shown == NameShown.FULL_NAME and not (person.do_not_publish or person.contact_restriction):
        return f"{person.first_or_preferred} {person.last_name}".strip()
    return person.first_or_preferred


def registered_plan_name(name: str) -> str:
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 else name.strip()


def _invitation_party(invitation: Invitation) -> Party | None:
    person = invitation.young_person
    if person.is_erased:
        return None
    guests = [g for g in invitation.guests if g.has_place]
    surname_on_card = young_person_card_name(person) != person.first_or_preferred
    people = [Person(young_person_card_name(person), person.first_or_preferred, young_person=True)]
    people += [Person(g.name.strip() if surname_on_card else without_surname(g.name, person.last_name),
                      without_surname(g.name, person.last_name)) for g in guests]
    codes = set(invitation.access_codes)
    for g in guests:
        codes |= set(g.access_codes)
    needs = [w for w in [invitation.access_words, *(g.access_words for g in guests)] if w]
    initial = (person.last_name or "").strip()[:1]
    return Party(key="i-" + invitation.public_id, label=f"{person.first_or_preferred} {initial}".strip(), people=people,
                 near_door=bool(codes & NEAR_DOOR_NEEDS), needs="; ".join(needs),
                 order=(0, person.first_or_preferred.lower(), (person.last_name or "").lower(), invitation.id),
                 invitation_id=invitation.id, reserved=person.do_not_publish or person.contact_restriction, public_id=invitation.public_id)


def _registration_party(registration: Registration) -> Party:
    return Party(key="r-" + registration.public_id, label=registration.name, people=[Person(registration.name, registered_plan_name(registration.name))],
                 near_door=bool(registration.access_needs.strip()), needs=registration.access_needs.strip(),
                 order=(1, registration.name.lower(), "", registration.id), registration_id=registration.id, registered=True,
                 public_id=registration.public_id)


def load_parties(event: Event) -> list[Party]:
    """Every party with a place at `event`, with its table if it has one: three queries."""
    invitations = db.session.execute(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.COMING)
        .options(joinedload(Invitation.young_person), selectinload(Invitation.guests))
    ).unique().scalars()
    registrations = db.session.execute(
        select(Registration).where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    ).scalars()
    seats = db.session.execute(
        select(PartySeat.invitation_id, PartySeat.registration_id, PartySeat.table_id, PartySeat.by_hand)
        .join(SeatingTable, PartySeat.table_id == SeatingTable.id).where(SeatingTable.event_id == event.id)
    ).all()
    by_invitation = {s.invitation_id: s for s in seats if s.invitation_id}
    by_registration = {s.registration_id: s for s in seats if s.registration_id}
    parties = [p for p in (_invitation_party(i) for i in invitations) if p is not None]
    parties += [_registration_party(r) for r in registrations if r.name != "Erased"]
    for party in parties:
        seat = by_invitation.get(party.invitation_id) if party.invitation_id else by_registration.get(party.registration_id)
        if seat is not None:
            party.table_id, party.by_hand = seat.table_id, seat.by_hand
    parties.sort(key=lambda p: p.order)
    return parties


@dataclass
class TableWithParties:
    table: SeatingTable
    parties: list[Party] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return sum(p.size for p in self.parties)

    @property
    def free(self) -> int:
        return self.table.seats - self.taken


def seating_plan(event: Event) -> tuple[list[TableWithParties], list[Party]]:
    """The event's tables, each with its parties, and the parties with no table."""
    from cpevents.seating.services import tables_of

    tables = {t.id: TableWithParties(t) for t in tables_of(event)}
    unseated = []
    for party in load_parties(event):
        if party.table_id in tables:
            tables[party.table_id].parties.append(party)
        else:
            unseated.append(party)
    return list(tables.values()), unseated


def name_cards(event: Event) -> list:
    """One card for each person seated, table by table, party by party."""
    from cpevents.seating.cards import NameCard

    tables, _ = seating_plan(event)
    return [NameCard(person.card_name, t.table.label) for t in tables for party in t.parties for person in party.people]


@dataclass(frozen=True)
class PlanTable:
    label: str
    near_door: bool
    seats: int
    names: list[str]


def table_plan(event: Event) -> list[PlanTable]:
    """The venue's table plan: no surnames at all, and reserved seats (no names) for a party whose
    young person is marked do not publish or has a contact restriction."""
    tables, _ = seating_plan(event)
    plan = []
    for t in tables:
        names: list[str] = []
        for party in t.parties:
            if party.reserved:
                names.append(f"Reserved ({party.size} {'seat' if party.size == 1 else 'seats'})")
            else:
                names += [person.plan_name for person in party.people]
        plan.append(PlanTable(t.table.label, t.table.near_door, t.table.seats, names))
    return plan
