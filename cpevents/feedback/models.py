"""Event feedback from young people, kept apart from who gave it.

A `FeedbackLink` is a personal link (SHA-256 of the token only) for one invitation, with a
"used" flag and nothing else about the answers. A `FeedbackResponse` holds the event, the
answers, the free text and the day it was given (no time). Neither has a column pointing at the
other, and the response has no submission time, so an answer cannot be joined back to a person:
tests/feedback/test_anonymity.py checks it.

A `FeedbackAction` is the event's "You said, we did": what the organisers changed because of the
feedback, written once per event and sent once to everyone who was sent a feedback link. It has
no column about any young person or any answer.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.models import UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model

# A feedback link works for this long after it is made (closing the event, or printing a letter).
LINK_DAYS = 60
MAX_TEXT = 1000
# "You said, we did": one text, a point a line, up to this many characters.
MAX_ACTION_TEXT = 1500


class Scale(int, enum.Enum):
    NOT_AT_ALL = 1
    A_LITTLE = 2
    SOMEWHAT = 3
    MOSTLY = 4
    COMPLETELY = 5

    @property
    def label(self) -> str:
        return {1: "Not at all", 2: "A little", 3: "Somewhat", 4: "Mostly", 5: "Completely"}[self.value]


# The four outcome statements from the strategy, with the column each answer is kept in.
STATEMENTS = [
    ("proud", "I feel proud of my achievements"),
    ("future", "I feel good about my future"),
    ("supported", "I feel supported and cared for"),
    ("views", "I feel able to share my views and feelings"),
]
POSITIVE = (Scale.MOSTLY.value, Scale.COMPLETELY.value)  # "mostly" or "completely"


class FeedbackLink(Model):
    __tablename__ = "feedback_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used: Mapped[bool] = mapped_column(default=False)

    invitation = relationship("Invitation")

    def works(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.expires_at

    @staticmethod
    def expiry_from(now: datetime) -> datetime:
        return now + timedelta(days=LINK_DAYS)


class FeedbackResponse(Model):
    """One young person's answers, without their name: no link, invitation or time of day."""

    __tablename__ = "feedback_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    # Each answer is 1 (not at all) to 5 (completely); None when skipped ("prefer not to say").
    proud: Mapped[int | None] = mapped_column(SmallInteger())
    future: Mapped[int | None] = mapped_column(SmallInteger())
    supported: Mapped[int | None] = mapped_column(SmallInteger())
    views: Mapped[int | None] = mapped_column(SmallInteger())
    improve: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[date] = mapped_column()


class FeedbackAction(Model):
    """"You said, we did" for one event: the organisers' words, who wrote them, and when they
    were sent (None until then; once set, nothing is sent again)."""

    __tablename__ = "feedback_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed: Mapped[int] = mapped_column(default=0)  # how many emails were queued when it was sent

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def points(self) -> list[str]:
        """Each non-empty line is one point."""
        return points_of(self.text)


def points_of(text: str) -> list[str]:
    return [line.strip(" \t-•*") for line in (text or "").splitlines() if line.strip(" \t-•*")]
