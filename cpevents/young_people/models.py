"""Young people (in care or care leavers) and the workers linked to them.

Young people have no account. Only organisers can list or search them; anyone else sees only
the young people their own work links them to, and only the shown name and age.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, and_, exists, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, Role, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

if TYPE_CHECKING:
    from cpevents.accounts.models import User


class CareStatus(LabelledEnum):
    IN_CARE = "in_care", "In care"
    CARE_LEAVER = "care_leaver", "Care leaver"


class NameShown(LabelledEnum):
    FIRST_NAME = "first_name", "First name only"
    FULL_NAME = "full_name", "Full name"


class WorkerRelationship(LabelledEnum):
    SOCIAL_WORKER = "social_worker", "Social worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    CARER = "carer", "Foster or residential carer"
    TEACHER = "teacher", "Teacher or Virtual School"
    OTHER = "other", "Other worker"


def normalise_name(name: str) -> str:
    """Lower case, no accents, no punctuation or spaces: 'Zoë O'Neil' -> 'zoeoneil'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed if ch.isalnum()).lower()


class YoungPerson(PublicId, Timestamped, Model):
    __tablename__ = "young_people"
    __table_args__ = (Index("ix_young_people_match", "match_key", "date_of_birth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    preferred_name: Mapped[str] = mapped_column(String(80), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    care_status: Mapped[CareStatus] = mapped_column(enum_column(CareStatus, "care_status"))
    district: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    name_shown: Mapped[NameShown] = mapped_column(enum_column(NameShown, "name_shown"), default=NameShown.FIRST_NAME)
    # Issue 17: an optional UK mobile number (stored +447...), texted through GOV.UK Notify only
    # with their agreement, recorded when and by whom; mobile_failed says why texts to it failed.
    mobile: Mapped[str] = mapped_column(String(20), default="")
    mobile_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mobile_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    mobile_failed: Mapped[str] = mapped_column(String(100), default="")
    # How to say their name ("Shiv-awn"), for whoever reads names aloud; the young person writes
    # it on their nominee page (issue 16), organisers see it on the record and the door list.
    name_pronunciation: Mapped[str] = mapped_column(String(60), default="")
    # Safety flags: only organisers set and see them.
    do_not_publish: Mapped[bool] = mapped_column(default=False)
    contact_restriction: Mapped[bool] = mapped_column(default=False)
    contact_restriction_note: Mapped[str] = mapped_column(Text, default="")
    # normalised first+last name, kept in step by the services, for finding duplicates
    match_key: Mapped[str] = mapped_column(String(160), default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("young_people.id"))
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    worker_links: Mapped[list[YoungPersonWorker]] = relationship(back_populates="young_person", cascade="all, delete-orphan")
    mobile_agreed_by: Mapped[User | None] = relationship(foreign_keys=[mobile_agreed_by_id])

    # --- names -------------------------------------------------------------------------------
    @property
    def first_or_preferred(self) -> str:
        return self.preferred_name or self.first_name

    @property
    def full_name(self) -> str:
        """For organisers' own pages only."""
        return f"{self.first_name} {self.last_name}"

    @property
    def shown_name(self) -> str:
        """The name anyone but an organiser sees: first name only unless the young person
        chose their full name, and never the surname of a do-not-publish young person."""
        if self.name_shown == NameShown.FULL_NAME and not self.do_not_publish:
            return f"{self.first_or_preferred} {self.last_name}"
        return self.first_or_preferred

    @property
    def is_erased(self) -> bool:
        """Erased on request (cpevents/privacy/erasure.py keeps the row, blanked, under this name)."""
        return self.first_name == "Erased" and self.last_name == self.reference

    @property
    def can_be_texted(self) -> bool:
        """A mobile number they agreed to be texted on, which Notify has not refused."""
        return bool(self.mobile) and self.mobile_agreed_at is not None and not self.mobile_failed

    @property
    def reference(self) -> str:
        """A short reference that tells two young people of the same name and age apart on a
        worker's list, and that the participation team can read on the record: the start of the
        record's public id, so it says nothing about the young person."""
        return self.public_id.replace("-", "")[:6].upper()

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(utcnow().date())

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def current_worker_links(self) -> list[YoungPersonWorker]:
        return [link for link in self.worker_links if link.is_current]

    def has_current_worker(self, user) -> bool:
        """A worker an organiser linked to this young person, whose link has not ended or run
        out, and whose account is active and approved. The one question behind every worker's
        view of a young person (achievements, invitations, "young people you work with")."""
        if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_approved:
            return False
        return any(link.user_id == user.id for link in self.current_worker_links)

    # --- permission questions -------------------------------------------------------------------
    def can_view(self, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        if user.has_role(Role.ORGANISER):
            return True
        return self.has_current_worker(user)

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def __repr__(self) -> str:  # no personal data in logs
        return f"<YoungPerson {self.id}>"


LINK_LIFETIME = timedelta(days=365)


class YoungPersonWorker(PublicId, Model):
    """A worker (an account) linked to a young person by an organiser's decision.

    Only an organiser makes a link (on the young person's record, or as an explicit choice when
    matching a nomination); it is recorded in the audit trail, can be ended, and runs out by
    itself 12 months after it was made or last renewed. Ended and expired rows are kept (the
    audit trail refers to them); linking the same worker again opens the same row again."""

    __tablename__ = "young_person_workers"
    __table_args__ = (UniqueConstraint("young_person_id", "user_id", name="uq_young_person_workers_young_person_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    relationship_type: Mapped[WorkerRelationship] = mapped_column(enum_column(WorkerRelationship, "worker_relationship"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: utcnow() + LINK_LIFETIME)
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    young_person: Mapped[YoungPerson] = relationship(back_populates="worker_links")
    user = relationship("User", foreign_keys=[user_id])
    linked_by = relationship("User", foreign_keys=[linked_by_id])

    @property
    def is_current(self) -> bool:
        return self.ended_at is None and self.expires_at > utcnow()


def _current_link(user_id) -> list:
    """The conditions of a current link for this account: open, in date, and the account active
    and approved (the SQL twin of YoungPerson.has_current_worker)."""
    from cpevents.accounts.models import User

    return [
        YoungPersonWorker.user_id == user_id,
        YoungPersonWorker.ended_at.is_(None),
        YoungPersonWorker.expires_at > utcnow(),
        exists().where(and_(User.id == user_id, User.deactivated_at.is_(None), User.approved_at.is_not(None))),
    ]


def current_link_condition(user_id, young_person_id=None):
    """SQL for "this account has a current worker link to this young person (row)". Use it in
    every query that shows a worker anything about a young person."""
    person = young_person_id if young_person_id is not None else YoungPerson.id
    return exists().where(YoungPersonWorker.young_person_id == person, *_current_link(user_id))


def current_young_person_ids(user_id):
    """A subquery of the young people this account currently works with."""
    return select(YoungPersonWorker.young_person_id).where(*_current_link(user_id))
