"""An event's tables and who sits at them.

A party is a young person's invitation (the young person and every guest with a place, never split)
or one person who registered (a professional, a councillor). A `PartySeat` holds no personal data:
it says which table a party sits at, and whether an organiser put them there by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import Role
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

MAX_SEATS = 40  # a banqueting round seats 10 to 12; a long top table rarely more than 30


def table_label(name: str) -> str:
    return f"Table {name}" if name.isdigit() else name


class SeatingTable(PublicId, Model):
    """One table at an event: its number or name, how many seats, and whether it is near the door."""

    __tablename__ = "seating_tables"
    __table_args__ = (UniqueConstraint("event_id", "name", name="uq_seating_tables_event_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    seats: Mapped[int]
    near_door: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")

    @property
    def label(self) -> str:
        """"Table 3" for a number, the name itself otherwise ("Top table")."""
        return table_label(self.name)

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def __repr__(self) -> str:
        return f"<SeatingTable {self.id}>"


class PartySeat(Model):
    """Where one party sits: exactly one of an invitation or a registration."""

    __tablename__ = "party_seats"
    __table_args__ = (
        CheckConstraint("(invitation_id IS NULL) <> (registration_id IS NULL)", name="one_party"),
        UniqueConstraint("invitation_id", name="uq_party_seats_invitation_id"),
        UniqueConstraint("registration_id", name="uq_party_seats_registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("seating_tables.id"), index=True)
    # An invitation removed from the list (or dropped when two records merge) takes its seat with it.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    by_hand: Mapped[bool] = mapped_column(default=False)
    seated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    seated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    table: Mapped[SeatingTable] = relationship()

    def __repr__(self) -> str:
        return f"<PartySeat {self.id}>"
