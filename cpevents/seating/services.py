"""The verbs of seating: keep an event's tables, seat the parties (a first pass, then by hand).
Services never commit: the view that calls one owns the transaction.

A party sits together, always: a young person's invitation (the young person and every guest with a
place) or one person who registered. The first pass only seats parties who have no table yet, so
running it again never undoes what an organiser moved by hand (see docs/issue18-seating.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from cpevents.core.models import rows_changed
from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.seating.models import MAX_SEATS, PartySeat, SeatingTable
from cpevents.seating.parties import Party, load_parties


class SeatingError(Exception):
    """Something an organiser asked for that cannot be done, in plain words."""


def _seats_taken(parties: list[Party]) -> dict[int, int]:
    taken: dict[int, int] = {}
    for p in parties:
        if p.table_id is not None:
            taken[p.table_id] = taken.get(p.table_id, 0) + p.size
    return taken


def tables_of(event: Event) -> list[SeatingTable]:
    return list(db.session.execute(
        select(SeatingTable).where(SeatingTable.event_id == event.id).order_by(SeatingTable.position, SeatingTable.id)
    ).scalars())


# --- tables ------------------------------------------------------------------------------------------


def _check_name(event: Event, name: str, table: SeatingTable | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SeatingError("Enter the table’s number or name")
    clash = db.session.execute(
        select(SeatingTable.id).where(SeatingTable.event_id == event.id, SeatingTable.name == name,
                                      SeatingTable.id != (table.id if table else -1))
    ).first()
    if clash:
        raise SeatingError(f"There is already a table called “{name}” at this event")
    return name


def _check_seats(seats: int | None) -> int:
    if seats is None or seats < 1 or seats > MAX_SEATS:
        raise SeatingError(f"Seats must be a whole number between 1 and {MAX_SEATS}")
    return seats


def add_table(event: Event, *, name: str, seats: int, near_door: bool) -> SeatingTable:
    last = db.session.execute(select(SeatingTable.position).where(SeatingTable.event_id == event.id)
                              .order_by(SeatingTable.position.desc()).limit(1)).scalar_one_or_none()
    table = SeatingTable(event_id=event.id, name=_check_name(event, name), seats=_check_seats(seats), near_door=near_door,
                         position=(last or 0) + 1)
    db.session.add(table)
    db.session.flush()
    return table


def change_table(table: SeatingTable, *, name: str, seats: int, near_door: bool) -> SeatingTable:
    event = table.event
    name, seats = _check_name(event, name, table), _check_seats(seats)
    seated = _seats_taken(load_parties(event)).get(table.id, 0)
    if seats < seated:
        raise SeatingError(f"{seated} people sit at this table. Move a party to another table first, or keep at least {seated} seats")
    table.name, table.seats, table.near_door = name, seats, near_door
    db.session.flush()
    return table


def remove_table(table: SeatingTable) -> int:
    """Remove a table; the parties sitting there have no table again. Returns how many parties."""
    moved = rows_changed(db.session.execute(delete(PartySeat).where(PartySeat.table_id == table.id).execution_options(synchronize_session=False)))
    db.session.delete(table)
    db.session.flush()
    return moved


# --- seating -----------------------------------------------------------------------------------------


@dataclass
class FirstPass:
    """What the first pass did: parties it seated, and those it could not (with the reason)."""

    seated: list[tuple[Party, SeatingTable]] = field(default_factory=list)
    not_seated: list[tuple[Party, str]] = field(default_factory=list)
    away_from_door: list[Party] = field(default_factory=list)  # asked to be near the door; no room there

    @property
    def message(self) -> str:
        words = [f"{len(self.seated)} {'party' if len(self.seated) == 1 else 'parties'} seated."]
        if self.not_seated:
            words.append(f"{len(self.not_seated)} could not be seated: see “Could not seat”.")
        if self.away_from_door:
            words.append(f"{len(self.away_from_door)} asked to sit near the door but those tables are full: check them.")
        return " ".join(words)


TOO_BIG = "Too many people for any table: add a bigger table, or give this party two tables next to each other by hand"
NO_ROOM = "No table has enough free seats left: add a table or seats"


def first_pass(event: Event, *, by) -> FirstPass:
    """Seat every party without a table, keeping each party together. Deterministic: the same
    parties and tables always give the same plan.

    Parties who asked to be near the door go first (near-door tables first, then any), then the
    others, biggest first (so the big ones still find room), each to the fullest table it still
    fits (so tables fill up rather than everyone spreading thin); others use near-door tables only
    when nothing else has room. Parties already seated, by hand or by an earlier pass, stay."""
    tables = tables_of(event)
    parties = load_parties(event)
    taken = _seats_taken(parties)
    free = {t.id: t.seats - taken.get(t.id, 0) for t in tables}
    biggest = max((t.seats for t in tables), default=0)
    result = FirstPass()
    waiting = sorted((p for p in parties if p.table_id is None), key=lambda p: (not p.near_door, -p.size, p.order))
    now = utcnow()
    for party in waiting:
        if party.size > biggest:
            result.not_seated.append((party, TOO_BIG))
            continue
        door = [t for t in tables if t.near_door]
        rest = [t for t in tables if not t.near_door]
        table = _fullest_fit(door if party.near_door else rest, free, party.size) or _fullest_fit(rest if party.near_door else door, free, party.size)
        if table is None:
            result.not_seated.append((party, NO_ROOM))
            continue
        if party.near_door and not table.near_door:
            result.away_from_door.append(party)
        free[table.id] -= party.size
        db.session.add(PartySeat(table_id=table.id, invitation_id=party.invitation_id, registration_id=party.registration_id,
                                 by_hand=False, seated_by_id=by.id if by else None, seated_at=now))
        party.table_id = table.id
        result.seated.append((party, table))
    db.session.flush()
    return result


def _fullest_fit(tables: list[SeatingTable], free: dict[int, int], size: int) -> SeatingTable | None:
    fits = [t for t in tables if free[t.id] >= size]
    return min(fits, key=lambda t: (free[t.id], t.position, t.id)) if fits else None


def move_party(event: Event, key: str, table: SeatingTable | None, *, by) -> Party:
    """Move a party (by its key, `Party.key`) to `table`, or to no table. Refused in plain words
    when the table has too few free seats."""
    parties = load_parties(event)
    party = next((p for p in parties if p.key == key), None)
    if party is None:
        raise SeatingError("That party is not coming to this event any more. Reload the page")
    if table is not None and table.event_id != event.id:
        raise SeatingError("Choose one of this event’s tables")
    if table is not None and party.table_id == table.id:
        return party
    seat = db.session.execute(select(PartySeat).where(
        PartySeat.invitation_id == party.invitation_id if party.invitation_id else PartySeat.registration_id == party.registration_id
    )).scalar_one_or_none()
    if table is None:
        if seat is not None:
            db.session.delete(seat)
        party.table_id = None
        db.session.flush()
        return party
    free = table.seats - _seats_taken(parties).get(table.id, 0)
    if party.size > free:
        people = f"{party.size} {'person' if party.size == 1 else 'people'}"
        seats = f"{free} free {'seat' if free == 1 else 'seats'}" if free > 0 else "no free seats"
        raise SeatingError(f"{table.label} is full for this party: it has {seats} and {party.name} comes with {people}. "
                           "Choose another table, move someone off this one, or add seats to it")
    if seat is None:
        seat = PartySeat(table_id=table.id, invitation_id=party.invitation_id, registration_id=party.registration_id)
        db.session.add(seat)
    seat.table_id, seat.by_hand, seat.seated_by_id, seat.seated_at = table.id, True, by.id if by else None, utcnow()
    party.table_id = table.id
    db.session.flush()
    return party


def forget_seats(*, invitation_ids: Sequence[int] = (), registration_ids: Sequence[int] = ()) -> None:
    """Erasure (cpevents/privacy/erasure.py): nobody erased keeps a seat, a name card or a place on the plan."""
    if invitation_ids:
        db.session.execute(delete(PartySeat).where(PartySeat.invitation_id.in_(list(invitation_ids))).execution_options(synchronize_session=False))
    if registration_ids:
        db.session.execute(delete(PartySeat).where(PartySeat.registration_id.in_(list(registration_ids))).execution_options(synchronize_session=False))
