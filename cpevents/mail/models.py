"""The outbox: every email is a row, written in the same transaction as the change that caused it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model
from cpevents.mail import personal_links

MAX_ATTEMPTS = 10


class MessageStatus(LabelledEnum):
    QUEUED = "queued", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Channel(LabelledEnum):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"


class EmailBatch(PublicId, Model):
    """A named group of messages sent together (for example one event's invitations)."""

    __tablename__ = "email_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OutboxMessage(PublicId, Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("email_batches.id"), index=True)
    template: Mapped[str] = mapped_column(String(120))
    # Issue 17: a text message (GOV.UK Notify) is a row like an email: to_address holds the mobile
    # number (+447...), text_body the words (with placeholders for personal links), html_body is empty.
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "message_channel"), default=Channel.EMAIL)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus, "message_status"), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    undeliverable: Mapped[bool] = mapped_column(default=False)
    # Who the message is for, when known, so an undeliverable address is reported against them.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Personal links never sit in the bodies (cpevents/mail/personal_links.py): the bodies hold
    # placeholders and the links are sealed here until the message is sent, then dropped.
    has_personal_links: Mapped[bool] = mapped_column(default=False)
    sealed_links: Mapped[str | None] = mapped_column(Text)
    # A calendar file (.ics) sent as an attachment, made when the message was queued.
    calendar: Mapped[str | None] = mapped_column(Text)
    # A letter sent as a PDF attachment (a young person without email, through their worker): only
    # its words, as JSON, with a placeholder where the personal link goes (cpevents/core/letters.py).
    # The PDF is made by the worker when it sends and never stored; the words go with the links.
    letter: Mapped[str | None] = mapped_column(Text)
    letter_filename: Mapped[str | None] = mapped_column(String(120))

    batch: Mapped[EmailBatch | None] = relationship()

    @property
    def links_removed(self) -> bool:
        """It carried personal links and they are gone: sending it again would send broken ones."""
        return self.has_personal_links and self.sealed_links is None

    @property
    def is_text(self) -> bool:
        return self.channel == Channel.TEXT

    @property
    def shown_text_body(self) -> str:
        return personal_links.remove(self.text_body)

    @property
    def shown_html_body(self) -> str:
        return personal_links.remove(self.html_body)

    def can_retry(self) -> bool:
        # A message whose address and words the retention purge deleted can never be sent again.
        return self.status in (MessageStatus.FAILED, MessageStatus.CANCELLED) and not self.links_removed and bool(self.to_address)

    def can_cancel(self) -> bool:
        return self.status in (MessageStatus.QUEUED, MessageStatus.FAILED)
