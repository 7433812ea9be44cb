"""Audiences of an event and the people who register for a place in one.

Young people come by invitation (cpevents/invitations), and their places stay `Event.capacity`.
Everyone else - professionals, councillors, partner agencies - registers on the event's public
registration page for a place in an `EventAudience`, which has its own places (None: no limit)
and its own waiting list. Each email about a live `Registration` carries a personal cancel link
(`RegistrationCancelLink`, stored as a SHA-256 hash only); every one of them works until the
registration is cancelled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, Role, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

SHORT = 200  # access and dietary needs: a short free-text answer


class AudienceKind(LabelledEnum):
    PROFESSIONALS = "professionals", "Professionals"
    COUNCILLORS = "councillors", "Councillors"
    OTHER = "other", "Other"


class RegistrationStatus(LabelledEnum):
    CONFIRMED = "confirmed", "Has a place"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class EventAudience(PublicId, Model):
    __tablename__ = "event_audiences"
    __table_args__ = (UniqueConstraint("event_id", "name", name="uq_event_audiences_event_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind, "audience_kind"), default=AudienceKind.OTHER)
    capacity: Mapped[int | None] = mapped_column()  # None: no limit
    position: Mapped[int] = mapped_column(default=0)
    registration_open: Mapped[bool] = mapped_column(default=True)

    event = relationship("Event")

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def __repr__(self) -> str:
        return f"<EventAudience {self.id}>"


class Registration(PublicId, Model):
    __tablename__ = "registrations"
    # One live registration per email address per event: `email_key` is the address while the
    # registration is live and NULL once cancelled (NULLs never clash in a unique constraint).
    __table_args__ = (UniqueConstraint("event_id", "email_key", name="uq_registrations_event_id_email_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    audience_id: Mapped[int] = mapped_column(ForeignKey("event_audiences.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    role: Mapped[str] = mapped_column(String(160), default="")
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    # Issue 17: an optional UK mobile number (+447...) and when they agreed to be texted on it.
    mobile: Mapped[str] = mapped_column(String(20), default="")
    mobile_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    access_needs: Mapped[str] = mapped_column(String(SHORT), default="")
    dietary_needs: Mapped[str] = mapped_column(String(SHORT), default="")
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus, "registration_status"), default=RegistrationStatus.CONFIRMED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: by the person, with their link
    # For the door (checking people in on the day).
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event = relationship("Event")
    audience: Mapped[EventAudience] = relationship()

    @property
    def live(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def __repr__(self) -> str:
        return f"<Registration {self.id}>"


class RegistrationCancelLink(Model):
    """One cancel link we emailed; only the SHA-256 of its token is kept. A registration may have
    several (the first email, a place from the waiting list, "someone tried to register with your
    address"), and each keeps working until the registration is cancelled: a stranger typing the
    owner's address can add a link to the owner's inbox, never take the owner's link away."""

    __tablename__ = "registration_cancel_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
