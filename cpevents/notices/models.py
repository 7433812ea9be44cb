"""Messages from organisers to a chosen group of one event's people (issue 17), kept with the event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class MessageGroup(LabelledEnum):
    """Who a message goes to. AUDIENCE also names which registered audience (audience_id)."""

    COMING = "coming", "Young people coming"
    NOT_REPLIED = "not_replied", "Young people who have not replied"
    WAITING = "waiting", "Young people on the waiting list"
    NOT_COMING = "not_coming", "Young people not coming"
    AUDIENCE = "audience", "People registered"
    NOMINATORS = "nominators", "Nominators"
    DOOR_HELPERS = "door_helpers", "Door helpers"


class EventMessage(PublicId, Model):
    """One message an organiser sent to a group of one event's people: what it said, who sent
    it, when, and how many emails went. Holds no one's personal data: the words are the
    organiser's, to a whole group; who received it is in the outbox batch."""

    __tablename__ = "event_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    group: Mapped[MessageGroup] = mapped_column(enum_column(MessageGroup, "event_message_group"))
    audience_id: Mapped[int | None] = mapped_column(ForeignKey("event_audiences.id"))
    group_name: Mapped[str] = mapped_column(String(200), default="")  # as the organiser saw it when sending
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    emailed: Mapped[int] = mapped_column(default=0)  # how many emails were queued
    not_emailed: Mapped[int] = mapped_column(default=0)  # in the group but with no email address
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("email_batches.id"))

    event = relationship("Event")
    sent_by = relationship("User")
    batch = relationship("EmailBatch")

    def __repr__(self) -> str:
        return f"<EventMessage {self.id} of event {self.event_id}>"
