"""Nominations for an award: made by a nominator one page at a time, saved as a draft at every
step, then sent. Matched to the young person's record when it is sent."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model
from cpevents.young_people.models import CareStatus, WorkerRelationship


class NominationStatus(LabelledEnum):
    DRAFT = "draft", "Draft – not sent yet"
    SENT = "sent", "Sent"
    WITHDRAWN = "withdrawn", "Withdrawn"


class YesNo(enum.StrEnum):
    YES = "yes"
    NO = "no"


class Nomination(PublicId, Timestamped, Model):
    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
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
    # The furthest page of the journey the nominator has saved: a draft continues after it.
    furthest_page: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the nomination is matched to a young person's record.
    file_id: Mapped[int | None] = mapped_column(ForeignKey("nomination_files.id"), index=True)

    event = relationship("Event")
    file = relationship("NominationFile", back_populates="nominations")
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

    @property
    def is_locked(self) -> bool:
        """Once an organiser has decided on the file (accepted it for judging, or found it not
        eligible), the nominator can no longer change what they wrote: judges only ever read
        text an organiser has reviewed. They can still withdraw it while nominations are open."""
        return self.status == NominationStatus.SENT and self.file is not None and self.file.status != FileStatus.TO_REVIEW

    def can_edit(self, user) -> bool:
        return (
            self.is_owned_by(user)
            and self.status in (NominationStatus.DRAFT, NominationStatus.SENT)
            and not self.is_locked
            and self.event.nominations_open()
        )

    def __repr__(self) -> str:
        return f"<Nomination {self.id}>"


class FileStatus(LabelledEnum):
    TO_REVIEW = "to_review", "To review"
    ACCEPTED = "accepted", "Accepted for judging"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    MERGED = "merged", "Merged"


class NominationFile(PublicId, Model):
    """Everything nominated for one young person at one event, judged together as one file."""

    __tablename__ = "nomination_files"
    __table_args__ = (UniqueConstraint("event_id", "young_person_id", name="uq_nomination_files_event_id_young_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    status: Mapped[FileStatus] = mapped_column(enum_column(FileStatus, "file_status"), default=FileStatus.TO_REVIEW)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("award_categories.id"))  # settled by an organiser
    not_eligible_reason: Mapped[str] = mapped_column(Text, default="")
    flags_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")
    young_person = relationship("YoungPerson")
    category = relationship("AwardCategory")
    nominations: Mapped[list[Nomination]] = relationship(back_populates="file", order_by="Nomination.submitted_at")
    decisions: Mapped[list[FileDecision]] = relationship(back_populates="file", order_by="FileDecision.at.desc()")

    @property
    def live_nominations(self) -> list[Nomination]:
        return [n for n in self.nominations if n.status == NominationStatus.SENT]

    @property
    def flagged(self) -> bool:
        return any(n.safety_flag for n in self.live_nominations)

    @property
    def needs_flag_review(self) -> bool:
        return self.flagged and self.flags_cleared_at is None


class DecisionAction(LabelledEnum):
    MATCHED = "matched", "Nomination added to the file"
    ACCEPTED = "accepted", "Accepted for judging"
    NOT_ELIGIBLE = "not_eligible", "Marked not eligible"
    CATEGORY_MOVED = "category_moved", "Award changed"
    FLAGS_CLEARED = "flags_cleared", "Safety answers reviewed"
    NOMINATION_MOVED_OUT = "nomination_moved_out", "Nomination taken out of the file"
    REOPENED = "reopened", "Reopened for review"


class FileDecision(Model):
    """Every organiser decision on a file, with its reason. Never changed afterwards."""

    __tablename__ = "file_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("nomination_files.id"), index=True)
    action: Mapped[DecisionAction] = mapped_column(enum_column(DecisionAction, "decision_action"))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    file: Mapped[NominationFile] = relationship(back_populates="decisions")
    by = relationship("User")
