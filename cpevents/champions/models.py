"""Corporate Parenting Champions: the services they work in, their applications, their pledges
and what they did to keep them.

A `Champion` row is one application. It is approved or declined by an organiser; approval gives
12 months of champion status (`approved_at` to `expires_at`), renewable.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.checks import known
from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class ChampionService(PublicId, Model):
    """A council service (or "Elected Member", "Partner agency") champions belong to.
    Organisers keep the list; a service is retired rather than deleted."""

    __tablename__ = "champion_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PledgeKind(LabelledEnum):
    WORK_EXPERIENCE = "work_experience"
    MENTOR = "mentor"
    SPEAK_UP = "speak_up"
    HELP_AT_EVENTS = "help_at_events"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PLEDGE_LABELS[self]


PLEDGE_LABELS = {
    PledgeKind.WORK_EXPERIENCE: "Offer work experience or an apprenticeship",
    PledgeKind.MENTOR: "Mentor a care leaver",
    PledgeKind.SPEAK_UP: "Speak up for children in care in my service",
    PledgeKind.HELP_AT_EVENTS: "Help at the PROUD Awards or Care Leavers' Week",
    PledgeKind.OTHER: "Something else (say what in your own words)",
}


class ChampionStatus(LabelledEnum):
    UNCONFIRMED = "unconfirmed", "Email not confirmed yet"  # applied without an account; email address not confirmed yet
    PENDING = "pending", "Waiting for a decision"  # waiting for an organiser
    APPROVED = "approved", "Champion"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed"  # 12 months passed without renewal


class Champion(PublicId, Timestamped, Model):
    __tablename__ = "champions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    job_title: Mapped[str] = mapped_column(String(160))
    service_id: Mapped[int] = mapped_column(ForeignKey("champion_services.id"), index=True)
    pledge_words: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ChampionStatus] = mapped_column(enum_column(ChampionStatus, "champion_status"), default=ChampionStatus.PENDING)
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    renewal_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service: Mapped[ChampionService] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    pledges: Mapped[list[ChampionPledge]] = relationship(back_populates="champion", cascade="all, delete-orphan", order_by="ChampionPledge.id")

    @property
    def is_current(self) -> bool:
        return self.status == ChampionStatus.APPROVED and self.expires_at is not None and self.expires_at > utcnow()

    @property
    def has_lapsed(self) -> bool:
        return self.status == ChampionStatus.LAPSED or (
            self.status == ChampionStatus.APPROVED and self.expires_at is not None and self.expires_at <= utcnow()
        )

    @property
    def term_ends_at(self) -> datetime:
        """When an approved champion's term ends (approval and renewal set it)."""
        return known(self.expires_at, "approval sets an approved champion's end date")

    def can_renew(self) -> bool:
        return self.is_current and self.expires_at is not None and self.expires_at - utcnow() <= timedelta(days=31)

    def __repr__(self) -> str:
        return f"<Champion {self.id}>"


class ChampionPledge(PublicId, Model):
    """One commitment a champion made. Kept once they record at least one thing they did."""

    __tablename__ = "champion_pledges"
    __table_args__ = (UniqueConstraint("champion_id", "kind", name="uq_champion_pledges_champion_id_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    champion_id: Mapped[int] = mapped_column(ForeignKey("champions.id"), index=True)
    kind: Mapped[PledgeKind] = mapped_column(enum_column(PledgeKind, "pledge_kind"))

    champion: Mapped[Champion] = relationship(back_populates="pledges")
    actions: Mapped[list[PledgeAction]] = relationship(back_populates="pledge", cascade="all, delete-orphan", order_by="PledgeAction.done_on")


class PledgeAction(PublicId, Model):
    """Something a champion did to keep a pledge."""

    __tablename__ = "pledge_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("champion_pledges.id"), index=True)
    done_on: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pledge: Mapped[ChampionPledge] = relationship(back_populates="actions")
