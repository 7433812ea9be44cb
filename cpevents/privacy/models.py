"""Requests to erase one person's data, and what became of them.

A row holds no personal data: the kind of person, the row's id, a short reference made from the
record's random public id, the reason the organiser typed (they are asked not to write the name)
and a summary of counts. It outlives the erasure, so the council can show what was done and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class ErasureKind(LabelledEnum):
    YOUNG_PERSON = "young_person", "Young person"
    ACCOUNT = "account", "Account (nominator, judge or other user)"
    REGISTRATION = "registration", "Person who registered for an event"
    CHAMPION = "champion", "Corporate Parenting Champion"

    @property
    def needs_second_organiser(self) -> bool:
        return self is ErasureKind.YOUNG_PERSON


class ErasureState(LabelledEnum):
    REQUESTED = "requested", "Waiting for a second organiser"
    DONE = "done", "Erased"
    CANCELLED = "cancelled", "Cancelled"


class ErasureRequest(PublicId, Model):
    __tablename__ = "erasure_requests"
    __table_args__ = (Index("ix_erasure_requests_kind_subject_id", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ErasureKind] = mapped_column(enum_column(ErasureKind, "erasure_kind"))
    subject_id: Mapped[int] = mapped_column()  # the row's id in the kind's table (kept, blanked)
    reference: Mapped[str] = mapped_column(String(12))  # from the record's public id: says nothing about the person
    state: Mapped[ErasureState] = mapped_column(enum_column(ErasureState, "erasure_state"), default=ErasureState.REQUESTED)
    reason: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # what was removed: kinds and counts only
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by = relationship("User", foreign_keys=[requested_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    cancelled_by = relationship("User", foreign_keys=[cancelled_by_id])

    @property
    def is_waiting(self) -> bool:
        return self.state == ErasureState.REQUESTED

    def can_confirm(self, user) -> bool:
        """A young person's erasure needs a second organiser: never the one who asked."""
        return self.is_waiting and user.is_authenticated and user.id != self.requested_by_id

    def __repr__(self) -> str:
        return f"<ErasureRequest {self.id}>"
