"""Events (PROUD Awards, Care Leavers' Week, any other celebration), award categories,
the nomination window and eligibility rules. Nothing is hard-wired to one event or year."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, Role, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import Model


class EventKind(LabelledEnum):
    PROUD_AWARDS = "proud_awards", "PROUD Awards"
    CARE_LEAVERS_WEEK = "care_leavers_week", "Care Leavers' Week"
    OTHER = "other", "Other celebration"


class CareStatusRule(LabelledEnum):
    EITHER = "either", "In care or a care leaver"
    IN_CARE = "in_care", "In care only"
    CARE_LEAVER = "care_leaver", "Care leavers only"


class WindowState(enum.StrEnum):
    NONE = "none"
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


class Event(PublicId, Timestamped, Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    name: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    # Care Leavers' Week and other co-produced events: the year's theme, and who planned it with us.
    theme: Mapped[str] = mapped_column(String(120), default="")
    planning_credit: Mapped[str] = mapped_column(String(300), default="")
    # Eligibility defaults for every category: age on the event date, inclusive.
    min_age: Mapped[int] = mapped_column(default=11)
    max_age: Mapped[int] = mapped_column(default=25)
    nominations_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    nominations_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # An organiser closes the event after it: no more replies or registrations; attendance is final.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # An organiser cancels an event that will not happen: no more replies, registrations or check-in.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Calendar files' SEQUENCE: one higher after each change of date, time or venue (and on
    # cancelling), so calendars update the entry they already have rather than add another.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    categories: Mapped[list[AwardCategory]] = relationship(
        back_populates="event", order_by="AwardCategory.position, AwardCategory.id", cascade="all, delete-orphan"
    )

    @property
    def event_date(self) -> date:
        return self.starts_at.astimezone(LONDON).date()

    @property
    def nominations_last_day(self) -> date | None:
        """The last day (UK time) nominations can be made: the window closes at midnight after it."""
        if self.nominations_close_at is None:
            return None
        return (self.nominations_close_at.astimezone(LONDON) - timedelta(seconds=1)).date()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def takes_replies(self) -> bool:
        """Replies, registrations and check-in: never once the event is closed or cancelled."""
        return not self.is_closed and not self.is_cancelled

    @property
    def takes_nominations(self) -> bool:
        return self.kind == EventKind.PROUD_AWARDS or bool(self.categories)

    def window_state(self, now: datetime | None = None) -> WindowState:
        if not (self.nominations_open_at and self.nominations_close_at):
            return WindowState.NONE
        now = now or utcnow()
        if now < self.nominations_open_at:
            return WindowState.NOT_YET
        if now >= self.nominations_close_at:
            return WindowState.CLOSED
        return WindowState.OPEN

    def nominations_open(self, now: datetime | None = None) -> bool:
        return self.window_state(now) == WindowState.OPEN

    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def __repr__(self) -> str:
        return f"<Event {self.id}>"


class ChangeKind(LabelledEnum):
    CHANGED = "changed", "Date, time or venue changed"
    CANCELLED = "cancelled", "Cancelled"


class ChangeDecision(LabelledEnum):
    TOLD = "told", "People with a place were told"
    NOT_TOLD = "not_told", "The organiser chose not to tell anyone"


class EventChange(PublicId, Model):
    """One change of an event's date, time or venue, or its cancelling: what it was before and
    after, and what the organiser decided about telling the people with a place (None: not
    decided yet). Holds no one's personal data: the message is the organiser's, to everyone."""

    __tablename__ = "event_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, "event_change_kind"))
    old_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    new_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    old_venue: Mapped[str] = mapped_column(String(200), default="")
    new_venue: Mapped[str] = mapped_column(String(200), default="")
    sequence: Mapped[int] = mapped_column()  # the event's calendar SEQUENCE after this change
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[ChangeDecision | None] = mapped_column(enum_column(ChangeDecision, "event_change_decision"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("email_batches.id"))
    emailed: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    changed_by = relationship("User", foreign_keys=[changed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def when_changed(self) -> bool:
        return self.old_starts_at != self.new_starts_at

    @property
    def venue_changed(self) -> bool:
        return self.old_venue != self.new_venue

    @property
    def in_words(self) -> str:
        """What changed, for the organiser's pages."""
        if self.kind == ChangeKind.CANCELLED:
            return "Event cancelled"
        parts = [p for p, changed in (("date and time", self.when_changed), ("venue", self.venue_changed)) if changed]
        return " and ".join(parts).capitalize() + " changed"

    def __repr__(self) -> str:
        return f"<EventChange {self.id} of event {self.event_id}>"


class AwardCategory(PublicId, Model):
    __tablename__ = "award_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # Rules of its own; None means "as the event".
    min_age: Mapped[int | None] = mapped_column()
    max_age: Mapped[int | None] = mapped_column()
    care_status_rule: Mapped[CareStatusRule] = mapped_column(enum_column(CareStatusRule, "care_status_rule"), default=CareStatusRule.EITHER)

    event: Mapped[Event] = relationship(back_populates="categories")

    @property
    def age_range(self) -> tuple[int, int]:
        """Its own ages, never wider than the event's: a category saved wider before this was
        checked (or an event narrowed since) still lets no one outside the event's ages through."""
        event = self.event
        low = max(self.min_age if self.min_age is not None else event.min_age, event.min_age)
        high = min(self.max_age if self.max_age is not None else event.max_age, event.max_age)
        return low, high

    @property
    def own_ages_in_words(self) -> str:
        low = self.min_age if self.min_age is not None else self.event.min_age
        high = self.max_age if self.max_age is not None else self.event.max_age
        return f"ages {low} to {high}"

    @property
    def rules_in_words(self) -> str:
        low, high = self.age_range
        return f"Aged {low} to {high} on the day of the event; {self.care_status_rule.label.lower()}"


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # plain words, for the nominator, when not eligible


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def check_eligibility(category: AwardCategory, *, date_of_birth: date, care_status: str, worked_with_recently: bool) -> Eligibility:
    """The rules of an award category, in plain words. `care_status` is "in_care" or "care_leaver"."""
    reasons = []
    event = category.event
    low, high = category.age_range
    age = age_on(date_of_birth, event.event_date)
    if age < low or age > high:
        reasons.append(f"{category.name} is for young people aged {low} to {high} on {event.event_date:%-d %B %Y}. They will be {age} then.")
    rule = category.care_status_rule
    if rule == CareStatusRule.IN_CARE and care_status != "in_care":
        reasons.append(f"{category.name} is for young people who are in care now.")
    if rule == CareStatusRule.CARE_LEAVER and care_status != "care_leaver":
        reasons.append(f"{category.name} is for care leavers.")
    if not worked_with_recently:
        reasons.append("You can nominate a young person only if you have worked with them in the last 12 months.")
    return Eligibility(eligible=not reasons, reasons=tuple(reasons))
