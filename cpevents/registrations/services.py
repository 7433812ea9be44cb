"""The verbs of registration: audiences, registering, the waiting list, cancelling.
Services never commit: the caller owns the transaction.

Capacity: registering, cancelling and changing an audience's places first lock the audience's row
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite a form post's transaction is already BEGIN
IMMEDIATE, one writer at a time), then count the places taken in the database. So two people can
never both take the last place. Each audience has its own places and its own waiting list; young
people's places (`Event.capacity`, the invitation flow) are not touched here.

One live registration per email address per event: checked after the lock, and backed by a unique
constraint on (event, email_key) so a race between two audiences can never double-book. Typing an
address that is already registered changes nothing and tells the page nothing: the address's owner
gets an email with their details and one more cancel link (the earlier ones keep working).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from cpevents.core.calendar import calendar_file
from cpevents.core.time import london, utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event, EventKind
from cpevents.extensions import db
from cpevents.mail.services import queue_email
from cpevents.registrations.models import (
    AudienceKind,
    EventAudience,
    Registration,
    RegistrationCancelLink,
    RegistrationStatus,
)

SUBJECT_REGISTERED = "Your registration"
SUBJECT_AGAIN = "Your registration details"  # someone tried to register again with this address
SUBJECT_PLACE = "Your registration: a place for you"
SUBJECT_CANCELLED = "Your registration is cancelled"

# A Care Leavers' Week event starts with these audiences (no limit on places; organisers change them).
DEFAULT_AUDIENCES = [("Professionals", AudienceKind.PROFESSIONALS), ("Councillors", AudienceKind.COUNCILLORS)]

EVENT_CLOSED = "This event has finished and is closed, so registration is closed"
EVENT_STARTED = "This event has already started, so registration is closed"
EVENT_CANCELLED = "This event has been cancelled, so registration is closed"
AUDIENCE_CLOSED = "Registration is closed for {name}"


class RegistrationError(Exception):
    """A registration that cannot be made; the message is shown beside the audience choice."""


@dataclass
class Details:
    name: str
    email: str
    organisation: str = ""
    role: str = ""
    access_needs: str = ""
    dietary_needs: str = ""
    mobile: str = ""  # issue 17: +447..., only when texts are set up
    mobile_agreed: bool = False


@dataclass
class Outcome:
    """For the caller's records only: the page after registering must read the same either way,
    so that nobody can use it to learn whether an address has registered."""

    registration: Registration
    duplicate: bool  # the address had already registered: nothing changed, its owner emailed


def email_key(email: str) -> str:
    return (email or "").strip().casefold()


# --- audiences -------------------------------------------------------------------------------------


def add_default_audiences(event: Event) -> None:
    for position, (name, kind) in enumerate(DEFAULT_AUDIENCES):
        db.session.add(EventAudience(event_id=event.id, event=event, name=name, kind=kind, position=position, capacity=None, registration_open=True))
    db.session.flush()


def audiences_for_new_event(event: Event) -> None:
    """Connected to cpevents.events.signals.event_created in create_app. A Care Leavers Week
    starts with the default audiences: professionals and councillors register for places
    (young people are invited)."""
    if event.kind == EventKind.CARE_LEAVERS_WEEK:
        add_default_audiences(event)


def add_audience(event: Event, *, name: str, kind: AudienceKind, capacity: int | None, registration_open: bool) -> EventAudience:
    if _name_taken(event, name):
        raise RegistrationError(f"This event already has an audience called {name}")
    position = db.session.execute(select(func.coalesce(func.max(EventAudience.position), -1)).where(EventAudience.event_id == event.id)).scalar_one() + 1
    audience = EventAudience(event_id=event.id, event=event, name=name, kind=kind, capacity=capacity, position=position, registration_open=registration_open)
    db.session.add(audience)
    db.session.flush()
    return audience


def update_audience(audience: EventAudience, *, name: str, kind: AudienceKind, capacity: int | None, registration_open: bool) -> list[Registration]:
    """Change an audience. More places (or no limit) give them to the waiting list at once; fewer
    places never take a place away from someone who has one. Returns those given a place."""
    if name.casefold() != audience.name.casefold() and _name_taken(audience.event, name, excluding=audience.id):
        raise RegistrationError(f"This event already has an audience called {name}")
    lock_audience(audience)
    audience.name, audience.kind, audience.capacity, audience.registration_open = name, kind, capacity, registration_open
    db.session.flush()
    return fill_from_waiting_list(audience)


def _name_taken(event: Event, name: str, excluding: int | None = None) -> bool:
    stmt = select(EventAudience.id).where(EventAudience.event_id == event.id, func.lower(EventAudience.name) == name.lower())
    if excluding is not None:
        stmt = stmt.where(EventAudience.id != excluding)
    return db.session.execute(stmt).first() is not None


# --- capacity ------------------------------------------------------------------------------------------


def lock_audience(audience: EventAudience) -> None:
    stmt = select(EventAudience.id).where(EventAudience.id == audience.id)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    db.session.execute(stmt)


def confirmed_count(audience_id: int) -> int:
    """Places taken, read from the database (after the lock), never from objects in memory."""
    return db.session.execute(
        select(func.count(Registration.id)).where(Registration.audience_id == audience_id, Registration.status == RegistrationStatus.CONFIRMED)
    ).scalar_one()


def has_room(audience: EventAudience) -> bool:
    return audience.capacity is None or confirmed_count(audience.id) < audience.capacity


def fill_from_waiting_list(audience: EventAudience, now: datetime | None = None) -> list[Registration]:
    """Give free places to the waiting list, first come first served (the audience row is locked).
    A place is given straight away, not offered: the person is emailed and can cancel if they
    no longer need it."""
    if not audience.event.takes_replies or (now or utcnow()) >= audience.event.starts_at:
        return []
    waiting = db.session.execute(
        select(Registration)
        .where(Registration.audience_id == audience.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.waiting_since, Registration.id)
    ).scalars().all()
    promoted = []
    free = None if audience.capacity is None else audience.capacity - confirmed_count(audience.id)
    for registration in waiting:
        if free is not None and free <= 0:
            break
        registration.status = RegistrationStatus.CONFIRMED
        registration.waiting_since = None
        _email(registration, "place", SUBJECT_PLACE, cancel_link=new_cancel_link(registration))
        promoted.append(registration)
        if free is not None:
            free -= 1
    db.session.flush()
    return promoted


# --- registering -----------------------------------------------------------------------------------------


def registration_refusal(event: Event, audience: EventAudience | None = None, now: datetime | None = None) -> str | None:
    """Why a registration cannot be made now, in plain words; None when it can."""
    if event.is_closed:
        return EVENT_CLOSED
    if event.is_cancelled:
        return EVENT_CANCELLED
    if (now or utcnow()) >= event.starts_at:
        return EVENT_STARTED
    if audience is not None and not audience.registration_open:
        return AUDIENCE_CLOSED.format(name=audience.name)
    return None


def register(event: Event, audience: EventAudience, details: Details, now: datetime | None = None) -> Outcome:
    """Register one person, or, when their address has a live registration for this event already,
    change nothing and email the address's owner (their details stand; a new cancel link is added
    and the earlier ones keep working)."""
    now = now or utcnow()
    if audience.event_id != event.id:
        raise RegistrationError("Choose who you are from the list")
    refusal = registration_refusal(event, audience, now)
    if refusal:
        raise RegistrationError(refusal)
    key = email_key(details.email)
    lock_audience(audience)
    existing = _live_registration(event, key)
    if existing is not None:
        _send_again(existing)
        return Outcome(existing, duplicate=True)
    registration = Registration(
        event_id=event.id, event=event, audience_id=audience.id, audience=audience,
        name=details.name, email=details.email, email_key=key, organisation=details.organisation, role=details.role,
        access_needs=details.access_needs, dietary_needs=details.dietary_needs, created_at=now,
        mobile=details.mobile, mobile_agreed_at=now if details.mobile and details.mobile_agreed else None,
    )
    if has_room(audience):
        registration.status = RegistrationStatus.CONFIRMED
    else:
        registration.status, registration.waiting_since = RegistrationStatus.WAITING, now
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # The same address registered for another audience of this event at the same moment.
        existing = _live_registration(event, key)
        if existing is None:
            raise
        _send_again(existing)
        return Outcome(existing, duplicate=True)
    _email(registration, "registered", SUBJECT_REGISTERED, cancel_link=new_cancel_link(registration))
    return Outcome(registration, duplicate=False)


def _live_registration(event: Event, key: str) -> Registration | None:
    return db.session.execute(select(Registration).where(Registration.event_id == event.id, Registration.email_key == key)).scalar_one_or_none()


def _send_again(registration: Registration) -> None:
    """Someone typed this address again: tell its owner, with their details and one more cancel
    link. Earlier links keep working, so whoever typed the address cannot take the owner's away."""
    _email(registration, "again", SUBJECT_AGAIN, cancel_link=new_cancel_link(registration))


# --- the cancel link --------------------------------------------------------------------------------------


def new_cancel_link(registration: Registration) -> str:
    """One more working cancel link (256 random bits; only the hash is kept)."""
    token = new_token()
    db.session.add(RegistrationCancelLink(registration_id=registration.id, token_hash=hash_token(token)))
    return cancel_url(token)


def cancel_url(token: str) -> str:
    return absolute_url("registrations.cancel", token=token)


def calendar_url(event: Event) -> str:
    return absolute_url("registrations.calendar", public_id=event.public_id)


def event_calendar(event: Event, *, method: str | None = None, organizer: str | None = None) -> bytes:
    """The event in a calendar file: only what the public registration page shows anyway. The
    same UID every time and the event's sequence, so calendars update their entry after a change."""
    words = [event.theme and f"Theme: {event.theme}", event.description, event.planning_credit]
    if event.is_cancelled:
        words = ["This event has been cancelled."]
    return calendar_file(
        product="registrations",
        uid=f"event-{event.public_id}@cpevents",
        summary=event.name,
        starts_at=event.starts_at,
        stamp=event.updated_at or event.starts_at,
        location=event.venue,
        description="\n\n".join(w for w in words if w) or event.name,
        sequence=event.sequence,
        cancelled=event.is_cancelled,
        method=method,
        organizer=organizer,
    )


def find_by_cancel_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        select(Registration).join(RegistrationCancelLink, RegistrationCancelLink.registration_id == Registration.id)
        .where(RegistrationCancelLink.token_hash == hash_token(token))
    ).scalar_one_or_none()


def cancel_registration(registration: Registration, *, by=None, now: datetime | None = None) -> list[Registration]:
    """Cancel (by the person with their link, or by an organiser) and give the place to the first
    on that audience's waiting list. Cancelling twice changes nothing. Returns those given a place."""
    now = now or utcnow()
    audience = registration.audience
    lock_audience(audience)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    had_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancelled_by_id = getattr(by, "id", None)
    registration.email_key = None  # the address may register again
    db.session.execute(delete(RegistrationCancelLink).where(RegistrationCancelLink.registration_id == registration.id))  # they have done their job
    registration.waiting_since = None
    db.session.flush()
    _email(registration, "cancelled", SUBJECT_CANCELLED, by_organiser=by is not None)
    return fill_from_waiting_list(audience, now) if had_place else []


# --- email -------------------------------------------------------------------------------------------------


def _email(registration: Registration, template: str, subject: str, cancel_link: str | None = None, **context) -> None:
    """`cancel_link` is a personal link: it goes to queue_email as a secret, never in clear."""
    event = registration.event
    queue_email(
        f"registrations/{template}",
        to=registration.email,
        subject=subject,
        name=registration.name,
        event_name=event.name,
        when=london(event.starts_at, "%A %-d %B %Y at %-I:%M%p"),
        venue=event.venue,
        theme=event.theme,
        audience=registration.audience.name,
        status=registration.status.value,
        calendar_link=calendar_url(event),
        secrets={"cancel_link": cancel_link} if cancel_link else None,
        **context,
    )
