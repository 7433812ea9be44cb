"""PROUD Awards judging: a panel per event, its judges and scoring criteria, files assigned to
judges, conflicts of interest, scores, and the organisers' shortlist and winner decisions.

The unit of judging is a nomination file (one young person at one event, with every
nominator's text). Decisions are append-only: the current state of a file is its latest
decision of each kind."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

SCALE_MIN = 1
SCALE_MAX = 5


class Panel(PublicId, Model):
    """The judging panel of one event."""

    __tablename__ = "judging_panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    min_scores: Mapped[int] = mapped_column(default=2)  # files with fewer submitted scores are flagged
    shortlist_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The plain words every young person not shortlisted reads (with thanks), written by an
    # organiser before releasing the shortlist (issue 16).
    not_shortlisted_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")
    judges: Mapped[list[PanelJudge]] = relationship(back_populates="panel", order_by="PanelJudge.id")
    criteria: Mapped[list[Criterion]] = relationship(back_populates="panel", order_by="Criterion.position, Criterion.id")


class PanelJudge(PublicId, Model):
    __tablename__ = "panel_judges"
    __table_args__ = (UniqueConstraint("panel_id", "user_id", name="uq_panel_judges_panel_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    young_judge: Mapped[bool] = mapped_column(default=False)  # care-experienced: always sees the redacted file
    blind: Mapped[bool] = mapped_column(default=False)  # an organiser switched this judge to the redacted file
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    panel: Mapped[Panel] = relationship(back_populates="judges")
    # Every page that lists judges names them: loaded with the judge (issue 19: one query for a
    # panel's judges, not one more per judge).
    user = relationship("User", lazy="joined")

    @property
    def sees_redacted(self) -> bool:
        return self.young_judge or self.blind

    def may_read(self, panel_version_ready: bool) -> bool:
        """A young or blind judge reads a file only once every nomination in it has the
        organisers' panel version (`queries.ready_file_ids`); until then it is hidden from them."""
        return panel_version_ready or not self.sees_redacted


class Criterion(PublicId, Model):
    __tablename__ = "judging_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")  # what each score means, in plain words
    weight: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)

    panel: Mapped[Panel] = relationship(back_populates="criteria")


class ConflictType(LabelledEnum):
    NONE = "none", "No conflict"
    KNOWS_YOUNG_PERSON = "knows_young_person", "I know this young person"
    WORKS_WITH = "works_with", "I work or worked with them"
    KNOWS_NOMINATOR = "knows_nominator", "I know the person who nominated them closely"
    OTHER = "other", "Other conflict"


class AssignmentState(LabelledEnum):
    DECLARE = "declare", "Declare any conflict"
    CONFLICT = "conflict", "Conflict declared"
    TO_SCORE = "to_score", "To score"
    SAVED = "saved", "Saved, not submitted"
    SUBMITTED = "submitted", "Submitted"

    @property
    def colour(self) -> str:
        return {"declare": "blue", "conflict": "grey", "to_score": "yellow", "saved": "orange", "submitted": "green"}[self.value]


class Assignment(PublicId, Model):
    """One file given to one judge: their conflict declaration, scores and comment."""

    __tablename__ = "judging_assignments"
    __table_args__ = (UniqueConstraint("file_id", "judge_id", name="uq_judging_assignments_file_id_judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("nomination_files.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("panel_judges.id"), index=True)
    conflict: Mapped[ConflictType | None] = mapped_column(enum_column(ConflictType, "conflict_type"))
    conflict_note: Mapped[str] = mapped_column(Text, default="")
    conflict_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    conflict_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    panel: Mapped[Panel] = relationship()
    file = relationship("NominationFile")
    judge: Mapped[PanelJudge] = relationship()
    conflict_recorded_by = relationship("User")
    scores: Mapped[list[Score]] = relationship(back_populates="assignment", cascade="all, delete-orphan")

    @property
    def conflicted(self) -> bool:
        return self.conflict is not None and self.conflict != ConflictType.NONE

    @property
    def state(self) -> AssignmentState:
        if self.conflict is None:
            return AssignmentState.DECLARE
        if self.conflicted:
            return AssignmentState.CONFLICT
        if self.submitted_at is not None:
            return AssignmentState.SUBMITTED
        if self.saved_at is not None:
            return AssignmentState.SAVED
        return AssignmentState.TO_SCORE


class Score(Model):
    __tablename__ = "judging_scores"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_id", name="uq_judging_scores_assignment_id_criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("judging_assignments.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("judging_criteria.id"), index=True)
    value: Mapped[int] = mapped_column()

    assignment: Mapped[Assignment] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class PanelText(Model):
    """The organiser's panel version of one nomination's text (schools or placements taken
    out); the nominator's original is kept unchanged on the nomination."""

    __tablename__ = "judging_panel_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    nomination = relationship("Nomination")


class DecisionKind(enum.StrEnum):
    SHORTLIST = "shortlist"
    WINNER = "winner"


class JudgingDecision(Model):
    """Shortlist and winner decisions, append-only: a change is a new row."""

    __tablename__ = "judging_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("nomination_files.id"), index=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "judging_decision_kind"))
    chosen: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by = relationship("User")

    @property
    def label(self) -> str:
        if self.kind == DecisionKind.SHORTLIST:
            return "Shortlisted" if self.chosen else "Not shortlisted"
        return "Winner" if self.chosen else "Not the winner"
