"""Nominations for an award: made by a nominator one page at a time, saved as a draft at every
step, then sent. Matched to the young person's record when it is sent."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import enum_column
from cpevents.core.models import Timestamped, UTCDateTime
from cpevents.extensions import db
from cpevents.young_people.models import CareStatus, WorkerRelationship


class NominationStatus(str, enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"draft": "Draft – not sent yet", "sent": "Sent", "withdrawn": "Withdrawn"}[self.value]


class YesNo(str, enum.Enum):
    YES = "yes"
    NO = "no"


class Nomination(Timestamped, db.Model):
    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("award_categories.id"))
    nominator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[NominationStatus] = mapped_column(enum_column(NominationStatus, "nomination_status"), default=NominationStatus.DRAFT)
    # The young person, as the nominator typed them (matched to a record when sent).
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    care_status: Mapped[CareStatus | None] = mapped_column(enum_column(CareStatus, "nomination_care_status"))
    district: Mapped[str] = mapped_column(String(80), default="")
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("young_people.id"), index=True)
    # The nominator and their relationship to the young person.
    relationship_type: Mapped[WorkerRelationship | None] = mapped_column(enum_column(WorkerRelationship, "nomination_relationship"))
    worked_with_recently: Mapped[bool | None] = mapped_column()
    # What the panel reads, and what only organisers read.
    achievement: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    # Safety questions.
    young_person_knows: Mapped[YesNo | None] = mapped_column(enum_column(YesNo, "young_person_knows"))
    not_known_reason: Mapped[str] = mapped_column(Text, default="")
    public_concern: Mapped[YesNo | None] = mapped_column(enum_column(YesNo, "public_concern"))
    public_concern_details: Mapped[str] = mapped_column(Text, default="")
    contact_restriction_details: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    category = relationship("AwardCategory")
    nominator = relationship("User")

    @property
    def young_person_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "Not given yet"

    @property
    def safety_flag(self) -> bool:
        """Organisers must review it before the file reaches judges."""
        return self.public_concern == YesNo.YES or bool(self.contact_restriction_details.strip())

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and self.nominator_id == user.id

    def can_edit(self, user) -> bool:
        return (
            self.is_owned_by(user)
            and self.status in (NominationStatus.DRAFT, NominationStatus.SENT)
            and self.event.nominations_open()
        )

    def __repr__(self) -> str:
        return f"<Nomination {self.id}>"
