"""Read-side queries other packages use: the door list's table for each party."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.seating.models import PartySeat, SeatingTable, table_label


@dataclass
class EventSeats:
    """Each seated party's table, in words ("Table 3"), by invitation id and by registration id."""

    invitations: dict[int, str] = field(default_factory=dict)
    registrations: dict[int, str] = field(default_factory=dict)


def event_seats(event: Event) -> EventSeats:
    """Every seat at `event`: one query, however many tables and parties."""
    seats = EventSeats()
    for invitation_id, registration_id, name in db.session.execute(
        select(PartySeat.invitation_id, PartySeat.registration_id, SeatingTable.name)
        .join(SeatingTable, PartySeat.table_id == SeatingTable.id).where(SeatingTable.event_id == event.id)
    ):
        if invitation_id:
            seats.invitations[invitation_id] = table_label(name)
        else:
            seats.registrations[registration_id] = table_label(name)
    return seats


def table_of_invitation(invitation) -> str:
    """One party's table in words, or "" (the door's QR code page)."""
    name = db.session.execute(
        select(SeatingTable.name).join(PartySeat, PartySeat.table_id == SeatingTable.id).where(PartySeat.invitation_id == invitation.id)
    ).scalar_one_or_none()
    return table_label(name) if name else ""
