"""Invitations to an event, the young person's reply, their guests and the waiting list.

Young people have no account: they reply through personal links (`InvitationLink`, stored as a
SHA-256 hash only), or a worker or an organiser replies for them. Each reply records who made it
and how.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, Role, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import Model

DEFAULT_GUESTS = 2
MAX_GUESTS = 10
IDENTITY_TRIES = 5
# A reply in progress that nobody has touched for this long is deleted (ReplyDraft).
DRAFT_LIFETIME = timedelta(days=2)
# A personal link keeps working until the end of the day after the event.
LINK_GRACE = timedelta(days=1)


class InvitationStatus(LabelledEnum):
    NOT_REPLIED = "not_replied", "Not replied"
    COMING = "coming", "Coming"
    NOT_COMING = "not_coming", "Not coming"
    NOT_SURE = "not_sure", "Not sure yet"
    WAITING = "waiting", "On the waiting list"  # said yes when the event was full
    OFFERED = "offered", "Offered a place"  # a place freed up and is held for them until offer_expires_at

    @property
    def holds_places(self) -> bool:
        return self in (InvitationStatus.COMING, InvitationStatus.OFFERED)

    @property
    def keeps_own_place(self) -> bool:
        """The young person's own place is kept for them (not for anyone's guest) from the moment
        they are invited until they say no or are taken off the list."""
        return self != InvitationStatus.NOT_COMING


class ReplyHow(LabelledEnum):
    LINK = "link", "Personal link"
    WORKER = "worker", "Worker, on their behalf"
    ORGANISER = "organiser", "Organiser (phone or paper)"


class ConsentKind(LabelledEnum):
    """Each consent is its own choice (issue 16), asked separately and recorded separately."""

    NAME_READ = "name_read", "Name read out on the night"
    PHOTOS = "photos", "Photos taken at the event"
    USE_WEBSITE = "use_website", "Photos and story on the council website"
    USE_SOCIAL = "use_social", "Photos and story on social media"
    USE_PRESS = "use_press", "Photos and story in the press"
    USE_ANNUAL_REPORT = "use_annual_report", "Photos and story in the annual report"
    AGREEMENT = "agreement", "A worker's or carer's agreement"
    NEEDS_AGREEMENT = "needs_agreement", "Needs a worker's agreement"


# The Invitation column holding the current answer of each yes/no consent.
CONSENT_COLUMNS = {
    ConsentKind.PHOTOS: "photo_consent",
    ConsentKind.USE_WEBSITE: "use_website",
    ConsentKind.USE_SOCIAL: "use_social",
    ConsentKind.USE_PRESS: "use_press",
    ConsentKind.USE_ANNUAL_REPORT: "use_annual_report",
}
AGREEMENT_AGE = 13  # under this on the day of the event, photo consents need a worker's or carer's agreement


class ConsentHow(LabelledEnum):
    LINK = "link", "By the young person, on their link"
    WORKER = "worker", "By their worker"
    PHONE = "phone", "By an organiser, on the phone"


class NameRead(LabelledEnum):
    FIRST_NAME = "first_name", "First name only"
    FULL_NAME = "full_name", "Full name"
    NO_NAME = "no_name", "No name"


class AgeGroup(LabelledEnum):
    ADULT = "adult", "Adult"
    CHILD = "child", "Child (under 18)"


class GuestApproval(LabelledEnum):
    CONFIRMED = "confirmed", "Confirmed"
    TO_APPROVE = "to_approve", "Needs an organiser's approval"  # the young person has a contact restriction: an organiser decides
    CANNOT_COME = "cannot_come", "Cannot come"


# What we may ask, with the codes stored in the reply. Counted (without names) for the venue.
DIETARY = [
    ("vegetarian", "Vegetarian"),
    ("vegan", "Vegan"),
    ("halal", "Halal"),
    ("kosher", "Kosher"),
    ("gluten_free", "No gluten"),
    ("dairy_free", "No dairy"),
    ("nut_allergy", "Nut allergy"),
    ("other", "Something else"),
]
ACCESS = [
    ("wheelchair", "Wheelchair space"),
    ("step_free", "Step-free route (no stairs)"),
    ("hearing_loop", "Hearing loop"),
    ("bsl", "British Sign Language interpreter"),
    ("quiet_space", "A quiet space to take a break"),
    ("near_exit", "A seat near the exit"),
    ("other", "Something else"),
]
DIETARY_LABELS = dict(DIETARY)
ACCESS_LABELS = dict(ACCESS)


class PersonNeeds:
    """One person's food, drink and access needs (the young person on their invitation, or one
    guest): codes from DIETARY and ACCESS, comma separated, and the "Something else" words."""

    dietary: str
    dietary_other: str
    access: str
    access_other: str

    @property
    def dietary_codes(self) -> list[str]:
        return [c for c in (self.dietary or "").split(",") if c]

    @property
    def access_codes(self) -> list[str]:
        return [c for c in (self.access or "").split(",") if c]

    @property
    def dietary_words(self) -> str:
        words = [DIETARY_LABELS.get(c, c) for c in self.dietary_codes if c != "other"]
        return ", ".join(words + ([self.dietary_other] if self.dietary_other else []))

    @property
    def access_words(self) -> str:
        words = [ACCESS_LABELS.get(c, c) for c in self.access_codes if c != "other"]
        return ", ".join(words + ([self.access_other] if self.access_other else []))


class InvitationSettings(Timestamped, Model):
    """Per event: guests per invitee, the reply deadline, what to ask, how long a freed place is held."""

    __tablename__ = "invitation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    guest_allowance: Mapped[int] = mapped_column(default=DEFAULT_GUESTS)
    reply_by: Mapped[datetime | None] = mapped_column(UTCDateTime())  # midnight at the end of the last day, UK time
    ask_dietary: Mapped[bool] = mapped_column(default=True)
    ask_access: Mapped[bool] = mapped_column(default=True)
    ask_travel: Mapped[bool] = mapped_column(default=True)
    ask_photos: Mapped[bool] = mapped_column(default=True)
    ask_name_read: Mapped[bool] = mapped_column(default=True)
    offer_hours: Mapped[int] = mapped_column(default=72)

    event = relationship("Event")

    @property
    def reply_by_day(self) -> date | None:
        """The last day to reply, UK time (replies close at midnight at its end)."""
        if self.reply_by is None:
            return None
        return (self.reply_by.astimezone(LONDON) - timedelta(seconds=1)).date()

    def reply_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (self.reply_by is None or now < self.reply_by) and now < self.event.starts_at


class Invitation(PersonNeeds, PublicId, Timestamped, Model):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "young_person_id", name="uq_invitations_event_id_young_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(enum_column(InvitationStatus, "invitation_status"), default=InvitationStatus.NOT_REPLIED)
    guest_allowance: Mapped[int | None] = mapped_column()  # None: the event's allowance
    # The door's check-in code (issue 8): random, and not the personal link's token.
    door_code: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    check_identity: Mapped[bool] = mapped_column(default=False)  # "check it's you": date of birth first
    identity_failures: Mapped[int] = mapped_column(default=0)
    # The reply.
    dietary: Mapped[str] = mapped_column(String(200), default="")  # codes from DIETARY, comma separated
    dietary_other: Mapped[str] = mapped_column(String(300), default="")
    access: Mapped[str] = mapped_column(String(200), default="")
    access_other: Mapped[str] = mapped_column(String(300), default="")
    travel_help: Mapped[bool] = mapped_column(default=False)
    travel_details: Mapped[str] = mapped_column(String(300), default="")
    photo_consent: Mapped[bool] = mapped_column(default=False)  # their answer; photos_ok is what counts
    name_read: Mapped[NameRead] = mapped_column(enum_column(NameRead, "name_read"), default=NameRead.FIRST_NAME)
    # Consents (issue 16): the current state; ConsentRecord keeps the history.
    use_website: Mapped[bool] = mapped_column(default=False)
    use_social: Mapped[bool] = mapped_column(default=False)
    use_press: Mapped[bool] = mapped_column(default=False)
    use_annual_report: Mapped[bool] = mapped_column(default=False)
    needs_agreement: Mapped[bool] = mapped_column(default=False)  # marked by their worker or an organiser
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a worker's or carer's agreement recorded
    # What the door and the presenter read: photo consent that counts (see consents.refresh).
    photos_ok: Mapped[bool] = mapped_column(default=False)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_how: Mapped[ReplyHow | None] = mapped_column(enum_column(ReplyHow, "reply_how"))
    # Sending, reminders, the waiting list.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    letter_needed: Mapped[bool] = mapped_column(default=False)
    reminded_7_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_2_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # At the door (issue 8): set once by a conditional UPDATE, so two taps record one time.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    door_note: Mapped[str] = mapped_column(String(140), default="")  # typed by an organiser, shown at the door

    event = relationship("Event")
    young_person = relationship("YoungPerson")
    replied_by = relationship("User", foreign_keys=[replied_by_id])
    guests: Mapped[list[Guest]] = relationship(back_populates="invitation", order_by="Guest.position", cascade="all, delete-orphan")
    links: Mapped[list[InvitationLink]] = relationship(back_populates="invitation", cascade="all, delete-orphan")

    # --- numbers ------------------------------------------------------------------------------------
    def allowance(self, settings: InvitationSettings | None) -> int:
        if self.guest_allowance is not None:
            return self.guest_allowance
        return settings.guest_allowance if settings else DEFAULT_GUESTS

    @property
    def guests_counted(self) -> list[Guest]:
        """Guests who take a place: confirmed, or waiting for an organiser's approval; never a
        guest still waiting for a place (`Guest.waiting_since`)."""
        return [g for g in self.guests if g.has_place]

    @property
    def guests_waiting(self) -> list[Guest]:
        """Guests waiting for a place: there was no room for them when the young person replied."""
        return [g for g in self.guests if g.waiting_for_place]

    @property
    def places(self) -> int:
        """Places this reply takes or asks for: the young person and their guests."""
        return 1 + len(self.guests_counted)

    def link_works(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.event.starts_at + LINK_GRACE

    @property
    def identity_locked(self) -> bool:
        return self.identity_failures >= IDENTITY_TRIES

    # --- permission questions ---------------------------------------------------------------------
    def can_manage(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.has_role(Role.ORGANISER)

    def can_reply_for(self, user) -> bool:
        """Organisers; a nominator who nominated this young person for this event; a linked worker."""
        if not (user.is_authenticated and user.is_active):
            return False
        if user.has_role(Role.ORGANISER):
            return True
        if not user.has_any_role(Role.NOMINATOR, Role.CHAMPION):
            return False
        from cpevents.invitations.queries import is_worker_for

        return is_worker_for(user, self)

    def __repr__(self) -> str:
        return f"<Invitation {self.id}>"


class InvitationLink(Model):
    """One personal link. Several may work at once (the first email, a reminder, a printed letter);
    revoking kills them all."""

    __tablename__ = "invitation_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invitation: Mapped[Invitation] = relationship(back_populates="links")


class Guest(PersonNeeds, PublicId, Model):
    __tablename__ = "invitation_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    age_group: Mapped[AgeGroup] = mapped_column(enum_column(AgeGroup, "guest_age_group"))
    approval: Mapped[GuestApproval] = mapped_column(enum_column(GuestApproval, "guest_approval"), default=GuestApproval.CONFIRMED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # At the door (issue 8).
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at_door: Mapped[bool] = mapped_column(default=False)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # a guest added at the door: who added them
    added_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # ... and when
    # Set while there is no room for this guest: the young person is coming, their guest waits
    # for a place (given, first come first served, when one frees up). None: the guest has a place.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The guest's own needs, so the venue's summary counts people, not replies (as on Invitation).
    dietary: Mapped[str] = mapped_column(String(200), default="")
    dietary_other: Mapped[str] = mapped_column(String(300), default="")
    access: Mapped[str] = mapped_column(String(200), default="")
    access_other: Mapped[str] = mapped_column(String(300), default="")
    photo_consent: Mapped[bool] = mapped_column(default=False)  # issue 16: guests are asked about photos too

    invitation: Mapped[Invitation] = relationship(back_populates="guests")
    added_by = relationship("User", foreign_keys=[added_by_id])

    @property
    def has_place(self) -> bool:
        return self.approval != GuestApproval.CANNOT_COME and self.waiting_since is None

    @property
    def waiting_for_place(self) -> bool:
        return self.approval != GuestApproval.CANNOT_COME and self.waiting_since is not None

    def __repr__(self) -> str:
        return f"<Guest {self.id}>"


class ConsentRecord(Model):
    """One consent given, refused or withdrawn: which, the answer, when, how and by whom. No
    free text, so nothing here names anyone."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_guests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    answer: Mapped[str] = mapped_column(String(20))  # "yes", "no", or a NameRead value
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    how: Mapped[ConsentHow] = mapped_column(enum_column(ConsentHow, "consent_how"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<ConsentRecord {self.id} of invitation {self.invitation_id}>"


class ReplyDraft(Model):
    """A young person's reply in progress (coming or not, guests' names, needs), kept here between
    the reply pages rather than in the session cookie: the cookie is signed, not encrypted, so
    anyone who copies it (or looks in the browser) can read what is in it. The cookie carries only
    this row's random id. Deleted when the reply is sent; one nobody has touched for
    DRAFT_LIFETIME is deleted when next read and by the daily `flask invitations remind`."""

    __tablename__ = "reply_drafts"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # secrets.token_urlsafe(32)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:  # no personal data in logs or tracebacks
        return f"<ReplyDraft of invitation {self.invitation_id}>"
