"""Who helps at the door of which event. The check-in times themselves live on the invitation and
its guests (`Invitation.checked_in_at`, `Guest.checked_in_at`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import Role
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import Model, db


class EventDoorHelper(PublicId, Model):
    """A volunteer given the door helper role for one event."""

    __tablename__ = "event_door_helpers"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_door_helpers_event_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event = relationship("Event")
    user = relationship("User", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<EventDoorHelper {self.id}>"


class DoorTap(Model):
    """One tap made on a phone (perhaps offline) and sent to /door/events/<id>/taps. Its `tap_id`
    is a UUID made on the phone: the unique constraint makes a tap sent twice count once. Holds no
    names, only which row was tapped (by public id), when and by whom, and the outcome code, so it
    can answer a repeat the same way. Kept only while the door is open: taps of events before today
    are deleted whenever taps are sent (cpevents.door.services.forget_old_taps), and with the event."""

    __tablename__ = "door_taps"
    __table_args__ = (UniqueConstraint("tap_id", name="uq_door_taps_tap_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tap_id: Mapped[str] = mapped_column(String(36))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(36))  # the public id of the invitation, guest or registration
    tapped_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))  # "recorded", "already" or "refused"

    def __repr__(self) -> str:
        return f"<DoorTap {self.id}>"


# --- permission questions (one place, so templates, views and services ask the same way) -----------


def is_door_day(event, now: datetime | None = None) -> bool:
    """The event's day in UK time: the only day anyone can check people in."""
    return (now or utcnow()).astimezone(LONDON).date() == event.event_date


def is_door_helper_for(user, event) -> bool:
    if not (user.is_authenticated and user.is_active and user.has_role(Role.DOOR_HELPER)):
        return False
    return db.session.execute(
        select(EventDoorHelper.id).where(EventDoorHelper.event_id == event.id, EventDoorHelper.user_id == user.id)
    ).first() is not None


def is_door_organiser(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)


def can_open_door_list(user, event, now: datetime | None = None) -> bool:
    """Organisers: any event, any day (to prepare). Door helpers: their own events, on the day."""
    if is_door_organiser(user):
        return True
    return is_door_helper_for(user, event) and is_door_day(event, now)


def can_check_in(user, event, now: datetime | None = None) -> bool:
    """Everyone the same: on the event's day, never once it is closed."""
    return can_open_door_list(user, event, now) and is_door_day(event, now) and event.takes_replies
