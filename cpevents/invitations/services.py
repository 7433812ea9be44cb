"""The verbs of invitations: build the list, send, personal links, replies, the waiting list,
guests' approval, reminders. Services never commit: the caller owns the transaction.

Capacity: every change that takes or frees places first locks the event's row
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite a form post's transaction is already
BEGIN IMMEDIATE, which lets one writer in at a time), then counts the places held. So two
"yes" replies can never both take the last place.

The person the evening is for never loses their place to someone's guest: every young person on
the list keeps their own place from the moment they are invited until they say no or are taken
off (`InvitationStatus.keeps_own_place`). Guests take only the places left over. When there is no
room for a guest, the young person is still coming and the guest waits (`Guest.waiting_since`);
a freed place goes first to a young person on the waiting list (only when more young people are
invited than there are places), then to waiting guests, first come first served.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from markupsafe import Markup
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.calendar import calendar_file
from cpevents.core.letters import LetterText
from cpevents.core.models import rows_changed
from cpevents.core.qr import cached_qr_svg, qr_svg
from cpevents.core.time import london, utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations.consents import set_consents
from cpevents.invitations.models import (
    ACCESS_LABELS,
    DEFAULT_GUESTS,
    DIETARY_LABELS,
    DRAFT_LIFETIME,
    IDENTITY_TRIES,
    AgeGroup,
    ConsentHow,
    ConsentKind,
    Guest,
    GuestApproval,
    Invitation,
    InvitationLink,
    InvitationSettings,
    InvitationStatus,
    NameRead,
    ReplyDraft,
    ReplyHow,
)
from cpevents.mail.services import queue_email, queue_text, start_batch
from cpevents.mail.texts import texts_enabled
from cpevents.nominees.queries import declined_young_person_ids
from cpevents.young_people.letters import (
    LetterKind,
    WorkerLetter,
    link_if_workers,
    register_reprinter,
    send_letter,
)

SUBJECT_INVITATION = "An invitation for you"
SUBJECT_REPLY = "Your reply to your invitation"
SUBJECT_OFFER = "A place for you"
SUBJECT_REMINDER = "A reminder about your invitation"
SUBJECT_GUESTS = "About your guests"
SUBJECT_NEW_LINK = "Your invitation: a new link"
SUBJECT_GUEST_PLACE = "About your guests: a place has come up"


class ReplyError(Exception):
    """A reply that cannot be saved; the message is shown to the person replying."""


EVENT_CLOSED = "This event has finished and is closed, so replies can no longer be made or changed"
EVENT_CANCELLED = "This event has been cancelled, so replies can no longer be made or changed"


@dataclass
class Reply:
    attending: InvitationStatus  # COMING (yes), NOT_COMING or NOT_SURE
    guests: list[tuple[str, AgeGroup]] = field(default_factory=list)
    # Each guest's own needs, in the order of `guests` ({"dietary": [...], "dietary_other": ...});
    # missing: none given.
    guest_needs: list[dict] = field(default_factory=list)
    dietary: list[str] = field(default_factory=list)
    dietary_other: str = ""
    access: list[str] = field(default_factory=list)
    access_other: str = ""
    travel_help: bool = False
    travel_details: str = ""
    photo_consent: bool = False
    name_read: NameRead = NameRead.FIRST_NAME
    # Photos and story used afterwards (issue 16), each its own choice.
    use_website: bool = False
    use_social: bool = False
    use_press: bool = False
    use_annual_report: bool = False


# --- settings and the list ----------------------------------------------------------------------


def settings_for(event: Event) -> InvitationSettings:
    settings = db.session.execute(select(InvitationSettings).where(InvitationSettings.event_id == event.id)).scalar_one_or_none()
    if settings is None:
        settings = InvitationSettings(event_id=event.id, event=event)
        db.session.add(settings)
        db.session.flush()
    return settings


def read_settings(event: Event) -> InvitationSettings:
    """The event's settings for reading (a page): the defaults, unsaved, when none are saved yet."""
    settings = db.session.execute(select(InvitationSettings).where(InvitationSettings.event_id == event.id)).scalar_one_or_none()
    return settings or default_settings(event)


def default_settings(event: Event) -> InvitationSettings:
    settings = InvitationSettings(guest_allowance=DEFAULT_GUESTS, reply_by=None, ask_dietary=True, ask_access=True, ask_travel=True, ask_photos=True,
                                  ask_name_read=True, offer_hours=72)
    settings.event = event  # not added to the session: Event has no relationship back to it
    return settings


class InviteRefused(Exception):
    """The young person cannot be invited; the message is for the organiser."""


def said_no_thanks_message(young_person) -> str:
    return (f"{young_person.full_name} said no thanks to being nominated for this event, so they cannot be invited to it. "
            "If they change their mind, they or their worker can tell the participation team.")


class SettingsError(Exception):
    """Settings that cannot be saved; the message is for the organiser (on the reply-by date)."""


def update_settings(settings: InvitationSettings, *, guest_allowance: int, reply_by: datetime | None, asks: dict[str, bool], offer_hours: int) -> None:
    if reply_by is not None and reply_by > settings.event.starts_at:
        raise SettingsError("The date to reply by must be on or before the day of the event")
    settings.guest_allowance = guest_allowance
    settings.reply_by = reply_by
    settings.offer_hours = offer_hours
    for name, value in asks.items():
        setattr(settings, name, value)


def invite(event: Event, young_person, *, by) -> Invitation | None:
    """Add a young person to the list; None when they are on it already. Refused (InviteRefused)
    for a young person who said "no thanks" to their nomination for this event (issue 16)."""
    if declined_young_person_ids(event.id, [young_person.id]):
        raise InviteRefused(said_no_thanks_message(young_person))
    exists = db.session.execute(
        select(Invitation.id).where(Invitation.event_id == event.id, Invitation.young_person_id == young_person.id)
    ).scalar_one_or_none()
    if exists is not None:
        return None
    invitation = Invitation(event_id=event.id, event=event, young_person_id=young_person.id, young_person=young_person, added_by_id=getattr(by, "id", None))
    db.session.add(invitation)
    db.session.flush()
    record(by, AuditAction.CREATED, invitation, young_person=young_person, detail="Added to the invitation list")
    return invitation


@dataclass
class ShortlistAdded:
    added: int
    said_no_thanks: list = field(default_factory=list)  # young people left off: they said no thanks


def invite_shortlist(event: Event, *, by) -> ShortlistAdded:
    """Everyone shortlisted, except those who said "no thanks" to their nomination."""
    from cpevents.invitations.queries import shortlisted_young_people

    people = shortlisted_young_people(event)
    declined = declined_young_person_ids(event.id, [p.id for p in people])
    result = ShortlistAdded(0, [p for p in people if p.id in declined])
    result.added = sum(1 for person in people if person.id not in declined and invite(event, person, by=by) is not None)
    return result


def remove_invitation(invitation: Invitation, *, by) -> None:
    event = invitation.event
    kept = invitation.status.keeps_own_place  # their own place (and any guests') frees up
    if kept:
        _lock_event(event)
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Removed from the invitation list")
    db.session.delete(invitation)
    db.session.flush()
    if kept:
        offer_free_places(event)


def set_allowance(invitation: Invitation, allowance: int | None, *, by) -> None:
    invitation.guest_allowance = allowance
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Changed the guest allowance")


def set_check_identity(invitation: Invitation, on: bool, *, by) -> None:
    invitation.check_identity = on
    if on:
        invitation.identity_failures = 0
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Check it's you: " + ("on" if on else "off"))


# --- personal links ----------------------------------------------------------------------------------


def issue_link(invitation: Invitation) -> str:
    """A new personal link (256 random bits); only its hash is kept. Returns the full URL."""
    token = new_token()
    db.session.add(InvitationLink(invitation=invitation, token_hash=hash_token(token)))
    return link_url(token)


def link_url(token: str) -> str:
    return absolute_url("rsvp.open_link", token=token)


def door_url(invitation: Invitation) -> str:
    """The check-in page for the door (built in issue 8). The code is random and is not the
    personal link's token, so showing it at the door gives nobody the invitation."""
    return absolute_url("door.code", door_code=invitation.door_code)


def door_svg(invitation: Invitation) -> Markup:
    return cached_qr_svg(door_url(invitation), "QR code to show at the door")


def link_svg(url: str) -> Markup:
    return qr_svg(url, "QR code for your invitation link")


def invitation_calendar(invitation: Invitation, show_venue: bool, *, method: str | None = None, organizer: str | None = None) -> bytes:
    """The same UID for this person and event every time, and the event's sequence, so a calendar
    replaces its entry after a change (cpevents/core/calendar.py)."""
    event = invitation.event
    return calendar_file(
        product="invitations",
        uid=f"{invitation.door_code}@cpevents",
        summary=event.name,
        starts_at=event.starts_at,
        stamp=event.updated_at or event.starts_at,
        location=event.venue if show_venue else None,
        description="This event has been cancelled." if event.is_cancelled else "Your invitation. Show your door code when you arrive.",
        sequence=event.sequence,
        cancelled=event.is_cancelled,
        method=method,
        organizer=organizer,
    )


def find_link(token: str) -> InvitationLink | None:
    """The working link for this token, or None (unknown, revoked, removed, or after the event)."""
    if not token or len(token) > 100:
        return None
    link = db.session.execute(select(InvitationLink).where(InvitationLink.token_hash == hash_token(token))).scalar_one_or_none()
    return link if link_works(link) else None


def link_works(link: InvitationLink | None) -> bool:
    return link is not None and link.revoked_at is None and link.invitation.link_works()


def revoke_links(invitation: Invitation, *, by) -> None:
    """Every personal link dies at once, and so does the door code of any confirmation sent with
    them: the new link shows a new code, and the old one is no longer on any door list."""
    now = utcnow()
    for link in invitation.links:
        if link.revoked_at is None:
            link.revoked_at = now
    invitation.door_code = str(uuid.uuid4())
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Personal links revoked")


def revoke_and_resend(invitation: Invitation, *, by) -> str | None:
    """Kill every link at once and email a new one. Returns None when emailed, or the new link
    when the young person has no email (the organiser prints a letter)."""
    revoke_links(invitation, by=by)
    person = invitation.young_person
    url = issue_link(invitation)
    if person.email:
        _email(invitation, "new_link", SUBJECT_NEW_LINK, link=url)
        return None
    return url


def letter_links(invitations: list[Invitation], *, by) -> list[tuple[Invitation, str]]:
    """A new link for each printed letter (older emailed or printed links keep working)."""
    out = []
    for invitation in invitations:
        out.append((invitation, issue_link(invitation)))
        invitation.letter_needed = False
        invitation.sent_at = invitation.sent_at or utcnow()
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Printed an invitation letter")
    return out


# --- sending ---------------------------------------------------------------------------------------


def send_invitations(event: Event, *, by) -> tuple[object | None, int, int]:
    """Queue every unsent invitation as one background batch; those with no email address need a
    printed letter. Returns (batch, emailed, letters)."""
    unsent = db.session.execute(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.sent_at.is_(None), Invitation.letter_needed.is_(False)).order_by(Invitation.id)
    ).scalars().all()
    batch, emailed, letters = None, 0, 0
    now = utcnow()
    settings = settings_for(event)
    for invitation in unsent:
        if invitation.young_person.email:
            if batch is None:
                batch = start_batch(f"Invitations: {event.name}", by=by)
            _email(invitation, "invitation", SUBJECT_INVITATION, batch=batch, link=issue_link(invitation), settings=settings)
            invitation.sent_at = now
            emailed += 1
        else:
            if invitation.young_person.can_be_texted and texts_enabled():
                if batch is None:
                    batch = start_batch(f"Invitations: {event.name}", by=by)
                _text(invitation, "invitation", link=issue_link(invitation), batch=batch, settings=settings)
            invitation.letter_needed = True
            letters += 1
            send_worker_letter(invitation, LetterKind.INVITATION, link_if_workers(invitation.young_person, issue_link, invitation), settings=settings)
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Invitation sent" if invitation.sent_at else "Letter needed")
    return batch, emailed, letters


def _email(invitation: Invitation, template: str, subject: str, *, link: str, batch=None, **context) -> None:
    """Every invitation email carries a personal link (`link`): it goes to queue_email as a
    secret, never in clear."""
    person = invitation.young_person
    event = invitation.event
    settings = context.pop("settings", None) or settings_for(event)
    if template in TEXTED and person.can_be_texted:
        _text(invitation, template, link=link, batch=batch, settings=settings)
    if not person.email:
        return
    queue_email(
        f"invitations/{template}",
        to=person.email,
        subject=subject,
        batch=batch,
        name=person.first_or_preferred,
        event_name=event.name,
        when=london(event.starts_at, "%A %-d %B %Y at %-I:%M%p"),
        # Where a young person must not be found, the venue is never written in an email.
        venue="" if person.contact_restriction else event.venue,
        reply_by=settings.reply_by_day.strftime("%A %-d %B %Y") if settings.reply_by_day else "",
        invitation=invitation,
        secrets={"link": link},
        **context,
    )


TEXTED = ("invitation", "reminder")


def _text(invitation: Invitation, template: str, *, link: str, batch, settings) -> None:
    """The invitation or reminder also by text (GOV.UK Notify), when texts are set up and the young
    person agreed to them: short and neutral, no event name or venue, the same personal link."""
    person = invitation.young_person
    queue_text(
        template,
        to=person.mobile,
        batch=batch,
        name=person.first_or_preferred,
        when=london(invitation.event.starts_at, "%-d %B"),
        reply_by=settings.reply_by_day.strftime("%-d %B") if settings.reply_by_day else "",
        secrets={"link": link},
    )


# --- letters through a worker, for young people without email (issue 17) ------------------------------


def letter_text(invitation: Invitation, kind: LetterKind, url: str, settings: InvitationSettings | None = None) -> LetterText:
    """The invitation or the reminder as a letter: the same words as the email. As in the email,
    a young person with a contact restriction is never told the venue in writing."""
    person, event = invitation.young_person, invitation.event
    settings = settings or settings_for(event)
    reply_by = settings.reply_by_day.strftime("%A %-d %B %Y") if settings.reply_by_day else ""
    when = "When: " + london(event.starts_at, "%A %-d %B %Y at %-I:%M%p")
    where = "Where: your worker or the participation team will tell you." if person.contact_restriction or not event.venue else f"Where: {event.venue}"
    ask = "Tell us if you can come" + (f" by {reply_by}" if reply_by else "") + ". Your worker can help you reply."
    if kind == LetterKind.REMINDER:
        heading, opening = "A reminder about your invitation", f"We have not heard from you yet about {event.name}."
    else:
        heading, opening = "An invitation for you", f"You are invited to {event.name}, a celebration of what you have achieved. You can bring guests with you."
    return LetterText(heading=heading, greeting=f"Hello {person.first_or_preferred},", paragraphs=[opening, when, where, ask], link=url,
                      after_link="This link is just for you. Please do not share it.")


def send_worker_letter(invitation: Invitation, kind: LetterKind, url: str, settings: InvitationSettings | None = None) -> None:
    send_letter(invitation.young_person, kind, letter_text(invitation, kind, url, settings), event=invitation.event, subject_id=invitation.id,
                about=f"an invitation to {invitation.event.name}")


def reprint_letter(letter: WorkerLetter) -> LetterText | None:
    """A fresh link for a letter printed again; every older link stops (as when links are revoked)."""
    invitation = db.session.get(Invitation, letter.subject_id)
    if invitation is None or invitation.young_person_id != letter.young_person_id or not invitation.link_works():
        return None
    revoke_links(invitation, by=None)
    return letter_text(invitation, letter.kind, issue_link(invitation))


# --- capacity ------------------------------------------------------------------------------------------


def _lock_event(event: Event) -> None:
    stmt = select(Event.id).where(Event.id == event.id)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    db.session.execute(stmt)


def places_held(event_id: int, excluding: int | None = None) -> int:
    """Young people coming or offered a place, plus their guests who have a place (not those
    waiting for one). Read from the database (after the lock), never from objects in memory.
    A young person saying yes gets their place when this leaves room for one."""
    holding = [InvitationStatus.COMING, InvitationStatus.OFFERED]
    people = select(func.count(Invitation.id)).where(Invitation.event_id == event_id, Invitation.status.in_(holding))
    guests = _guests_with_a_place(event_id)
    if excluding is not None:
        people = people.where(Invitation.id != excluding)
        guests = guests.where(Invitation.id != excluding)
    return db.session.execute(people).scalar_one() + db.session.execute(guests).scalar_one()


def _guests_with_a_place(event_id: int):
    holding = [InvitationStatus.COMING, InvitationStatus.OFFERED]
    return (
        select(func.count(Guest.id))
        .join(Invitation, Guest.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.status.in_(holding), Guest.approval != GuestApproval.CANNOT_COME, Guest.waiting_since.is_(None))
    )


def places_kept(event_id: int) -> int:
    """Every place taken or kept: each young person on the list who has not said no (their own
    place is kept for them) and every guest with a place. Guests only get what is left of this."""
    keeping = [s for s in InvitationStatus if s.keeps_own_place]
    people = select(func.count(Invitation.id)).where(Invitation.event_id == event_id, Invitation.status.in_(keeping))
    return db.session.execute(people).scalar_one() + db.session.execute(_guests_with_a_place(event_id)).scalar_one()


def _seat_guests(invitation: Invitation, now: datetime) -> list[Guest]:
    """Give this young person's guests the places left over (after every young person's own
    place), in the order they were named; those who do not fit wait. A guest who has a place
    keeps it. Returns the guests who were given a place just now. The event row is locked."""
    event = invitation.event
    waiting = invitation.guests_waiting
    if not waiting:
        return []
    db.session.flush()
    room = None if event.capacity is None else event.capacity - places_kept(event.id)
    seated = []
    for guest in invitation.guests:
        if not guest.waiting_for_place:
            continue
        if room is None or room > 0:
            guest.waiting_since = None
            seated.append(guest)
            room = None if room is None else room - 1
        else:
            guest.waiting_since = guest.waiting_since or now
    db.session.flush()
    return seated


def offer_free_places(event: Event, now: datetime | None = None) -> list[Invitation]:
    """Give freed places away (the event row is locked): first to young people on the waiting
    list (offered, as they said yes when every place was taken), then to guests waiting for a
    place, first come first served. The young person is told by email either way."""
    offered: list[Invitation] = []
    if event.is_cancelled:
        return offered  # no place is offered at an event that will not happen
    now = now or utcnow()
    settings = settings_for(event)
    for invitation in _waiting(event.id):
        free = None if event.capacity is None else event.capacity - places_held(event.id)
        if free is not None and free <= 0:
            break
        invitation.status = InvitationStatus.OFFERED
        invitation.offer_expires_at = now + timedelta(hours=settings.offer_hours)
        db.session.flush()
        _email(invitation, "offer", SUBJECT_OFFER, link=issue_link(invitation), until=london(invitation.offer_expires_at))
        record(None, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Offered a place from the waiting list")
        offered.append(invitation)
    for invitation in _with_waiting_guests(event.id):
        seated = _seat_guests(invitation, now)
        if seated:
            record(None, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail=f"{len(seated)} guest(s) given a place from the waiting list")
            if invitation.status == InvitationStatus.COMING:
                _email(invitation, "guest_place", SUBJECT_GUEST_PLACE, link=issue_link(invitation), guest_names=" and ".join(g.name for g in seated))
        elif event.capacity is not None:
            break
    return offered


def _with_waiting_guests(event_id: int) -> list[Invitation]:
    """Young people coming (or offered a place) with a guest waiting, in the order their guests
    started waiting."""
    first_waiting = (
        select(Guest.invitation_id, func.min(Guest.waiting_since).label("since"))
        .where(Guest.waiting_since.is_not(None), Guest.approval != GuestApproval.CANNOT_COME)
        .group_by(Guest.invitation_id)
        .subquery()
    )
    return list(db.session.execute(
        select(Invitation)
        .join(first_waiting, first_waiting.c.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.status.in_([InvitationStatus.COMING, InvitationStatus.OFFERED]))
        .order_by(first_waiting.c.since, Invitation.id)
    ).scalars().all())


def _waiting(event_id: int) -> list[Invitation]:
    return list(db.session.execute(
        select(Invitation).where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.WAITING).order_by(Invitation.waiting_since, Invitation.id)
    ).scalars().all())


# --- replies ----------------------------------------------------------------------------------------------


def check_reply(invitation: Invitation, reply: Reply, settings: InvitationSettings) -> None:
    allowance = invitation.allowance(settings)
    if reply.attending == InvitationStatus.COMING and len(reply.guests) > allowance:
        raise ReplyError(f"You can bring up to {allowance} guest{'s' if allowance != 1 else ''}")
    if any(not name.strip() for name, _ in reply.guests):
        raise ReplyError("Enter the name of each guest")


def record_reply(invitation: Invitation, reply: Reply, *, by, how: ReplyHow, now: datetime | None = None, organiser_late: bool = False) -> InvitationStatus:
    """Save a reply (the same reply twice gives the same result). Returns the new status."""
    now = now or utcnow()
    event = invitation.event
    if event.is_closed:
        raise ReplyError(EVENT_CLOSED)
    if event.is_cancelled:
        raise ReplyError(EVENT_CANCELLED)
    settings = settings_for(event)
    if now >= event.starts_at:
        raise ReplyError("The event has happened, so replies are closed")
    if not settings.reply_open(now) and not organiser_late:
        raise ReplyError("The date to reply by has passed")
    check_reply(invitation, reply, settings)
    _lock_event(event)
    db.session.refresh(invitation)  # the status as it is now, after the lock
    before_status = invitation.status

    if reply.attending == InvitationStatus.COMING:
        _set_guests(invitation, reply.guests, by=by, now=now, needs=reply.guest_needs)
        # Their own place: guests never hold it (every young person's place is kept for them), so
        # it is only ever short when more young people are invited than there are places.
        free = None if event.capacity is None else event.capacity - places_held(event.id, excluding=invitation.id)
        if before_status.holds_places or free is None or free >= 1:
            invitation.status = InvitationStatus.COMING
            invitation.waiting_since = None
            invitation.offer_expires_at = None
            _seat_guests(invitation, now)
        else:
            invitation.status = InvitationStatus.WAITING
            invitation.waiting_since = invitation.waiting_since or now
            for guest in invitation.guests:
                guest.waiting_since = guest.waiting_since or now
        invitation.dietary = ",".join(reply.dietary)
        invitation.dietary_other = reply.dietary_other if "other" in reply.dietary else ""
        invitation.access = ",".join(reply.access)
        invitation.access_other = reply.access_other if "other" in reply.access else ""
        invitation.travel_help = reply.travel_help
        invitation.travel_details = reply.travel_details if reply.travel_help else ""
        _record_reply_consents(invitation, reply, how=how, by=by)
    else:
        invitation.status = reply.attending
        invitation.waiting_since = None
        invitation.offer_expires_at = None
        for guest in list(invitation.guests):
            invitation.guests.remove(guest)

    invitation.replied_at = now
    invitation.replied_by_id = getattr(by, "id", None)
    invitation.replied_how = how
    db.session.flush()
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail=f"Reply: {invitation.status.label} ({how.label})")
    _email(invitation, "reply", SUBJECT_REPLY, link=issue_link(invitation), status=invitation.status.value)
    # Saying no frees their own place, and fewer guests free guests' places: give them away.
    offer_free_places(event, now)
    return invitation.status


_CONSENT_HOW = {ReplyHow.LINK: ConsentHow.LINK, ReplyHow.WORKER: ConsentHow.WORKER, ReplyHow.ORGANISER: ConsentHow.PHONE}


def _record_reply_consents(invitation: Invitation, reply: Reply, *, how: ReplyHow, by) -> None:
    """The consents given with a reply: each recorded (issue 16). A guest's photo answer comes in
    their needs (`guest_needs[i]["photo_consent"]`)."""
    answers = {ConsentKind.PHOTOS: reply.photo_consent, ConsentKind.NAME_READ: reply.name_read,
               ConsentKind.USE_WEBSITE: reply.use_website, ConsentKind.USE_SOCIAL: reply.use_social,
               ConsentKind.USE_PRESS: reply.use_press, ConsentKind.USE_ANNUAL_REPORT: reply.use_annual_report}
    db.session.flush()
    guests = {g: bool((reply.guest_needs[g.position] if g.position < len(reply.guest_needs) else {}).get("photo_consent"))
              for g in invitation.guests}
    set_consents(invitation, answers, how=_CONSENT_HOW[how], by=by, guests=guests)


def _set_guests(invitation: Invitation, wanted: list[tuple[str, AgeGroup]], *, by, now, needs: list[dict] | None = None) -> None:
    """Keep guests already known (and any decision about them); add new ones; drop the rest.
    Each guest's needs are as given now."""
    restricted = invitation.young_person.contact_restriction
    existing = {(g.name.casefold(), g.age_group): g for g in invitation.guests}
    keep = []
    for position, (name, age_group) in enumerate(wanted):
        guest = existing.pop((name.strip().casefold(), age_group), None)
        if guest is None:
            # A new guest starts waiting; _seat_guests gives them a place if there is room.
            guest = Guest(name=name.strip(), age_group=age_group, approval=GuestApproval.TO_APPROVE if restricted else GuestApproval.CONFIRMED, waiting_since=now)
        guest.position = position
        given = (needs or [])[position] if position < len(needs or []) else {}
        guest.dietary = ",".join(c for c in given.get("dietary", []) if c in DIETARY_LABELS)
        guest.dietary_other = given.get("dietary_other", "") if "other" in given.get("dietary", []) else ""
        guest.access = ",".join(c for c in given.get("access", []) if c in ACCESS_LABELS)
        guest.access_other = given.get("access_other", "") if "other" in given.get("access", []) else ""
        keep.append(guest)
    invitation.guests[:] = keep


def accept_offer(invitation: Invitation, *, by, how: ReplyHow, now: datetime | None = None) -> None:
    now = now or utcnow()
    if invitation.event.is_closed:
        raise ReplyError(EVENT_CLOSED)
    if invitation.event.is_cancelled:
        raise ReplyError(EVENT_CANCELLED)
    expired = invitation.status == InvitationStatus.OFFERED and invitation.offer_expires_at is not None and now >= invitation.offer_expires_at
    if expired or invitation.status == InvitationStatus.WAITING:
        raise ReplyError("This offer has ended. You are still on the waiting list.")
    if invitation.status != InvitationStatus.OFFERED:
        raise ReplyError("There is no place waiting for you to accept")
    _lock_event(invitation.event)
    invitation.status = InvitationStatus.COMING
    invitation.offer_expires_at = None
    invitation.waiting_since = None
    invitation.replied_at, invitation.replied_by_id, invitation.replied_how = now, getattr(by, "id", None), how
    _seat_guests(invitation, now)
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail=f"Accepted a place ({how.label})")
    _email(invitation, "reply", SUBJECT_REPLY, link=issue_link(invitation), status=invitation.status.value)


def expire_offers(now: datetime | None = None) -> int:
    """An offer not accepted in time goes back to the end of the waiting list; the place is offered on."""
    now = now or utcnow()
    expired = db.session.execute(
        select(Invitation).where(Invitation.status == InvitationStatus.OFFERED, Invitation.offer_expires_at <= now)
    ).scalars().all()
    events = {}
    for invitation in expired:
        _lock_event(invitation.event)
        invitation.status = InvitationStatus.WAITING
        invitation.waiting_since = now
        invitation.offer_expires_at = None
        for guest in invitation.guests:  # their guests wait with them
            guest.waiting_since = guest.waiting_since or now
        record(None, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Offer of a place ended")
        events[invitation.event_id] = invitation.event
    db.session.flush()
    for event in events.values():
        offer_free_places(event, now)
    return len(expired)


# --- a reply in progress -------------------------------------------------------------------------------------
# Kept on the server (ReplyDraft), never in the session cookie, which anyone holding it can read.


def _live_draft(invitation: Invitation, draft_id: str | None, now: datetime | None) -> ReplyDraft | None:
    if not isinstance(draft_id, str) or len(draft_id) > 43:
        return None
    draft = db.session.execute(select(ReplyDraft).where(ReplyDraft.id == draft_id, ReplyDraft.invitation_id == invitation.id)).scalar_one_or_none()
    if draft is None or draft.updated_at < (now or utcnow()) - DRAFT_LIFETIME:
        return None
    return draft


def read_draft(invitation: Invitation, draft_id: str | None, now: datetime | None = None) -> dict:
    """The answers given so far on the reply pages, or {}: none for another invitation's draft,
    and none from a draft nobody has touched for DRAFT_LIFETIME (it is deleted when the next answer
    is saved, or by the daily job). Reading writes nothing."""
    draft = _live_draft(invitation, draft_id, now)
    return dict(draft.data) if draft is not None else {}


def save_draft(invitation: Invitation, draft_id: str | None, data: dict, now: datetime | None = None) -> str:
    """Keep the answers so far; returns the draft's id (a new random one the first time, or when
    the old draft had run out)."""
    now = now or utcnow()
    draft = _live_draft(invitation, draft_id, now)
    if draft is None:
        delete_draft(draft_id)
        draft = ReplyDraft(id=new_token(), invitation_id=invitation.id)
        db.session.add(draft)
    draft.data = dict(data)
    draft.updated_at = now
    return draft.id


def delete_draft(draft_id: str | None) -> None:
    if isinstance(draft_id, str):
        db.session.execute(delete(ReplyDraft).where(ReplyDraft.id == draft_id))


def delete_old_drafts(now: datetime | None = None) -> int:
    """Replies started and left: gone after DRAFT_LIFETIME (the daily `flask invitations remind`)."""
    result = db.session.execute(delete(ReplyDraft).where(ReplyDraft.updated_at < (now or utcnow()) - DRAFT_LIFETIME))
    return rows_changed(result)


# --- identity ("check it's you") --------------------------------------------------------------------------


def check_date_of_birth(invitation: Invitation, given: date) -> bool:
    """Each answer first takes one of the five tries with one conditional UPDATE in the database
    (`identity_failures = identity_failures + 1 WHERE identity_failures < 5`), then is compared;
    a right answer gives the tries back. Adding up in SQL counts every guess even when many arrive
    at once (adding up in Python let them overwrite each other), and no answer is even compared
    once five wrong ones are in."""
    took_a_try = rows_changed(db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.identity_failures < IDENTITY_TRIES)
        .values(identity_failures=Invitation.identity_failures + 1)
        .execution_options(synchronize_session=False)
    )) == 1
    right = took_a_try and given == invitation.young_person.date_of_birth
    if right:
        db.session.execute(update(Invitation).where(Invitation.id == invitation.id).values(identity_failures=0).execution_options(synchronize_session=False))
    db.session.expire(invitation, ["identity_failures"])  # read again from the database when asked
    return right


# --- guests of a young person with a contact restriction --------------------------------------------------


def decide_guest(guest: Guest, approve: bool, *, by, now: datetime | None = None) -> None:
    now = now or utcnow()
    invitation = guest.invitation
    if approve:
        guest.approval = GuestApproval.CONFIRMED
    else:
        _lock_event(invitation.event)
        guest.approval = GuestApproval.CANNOT_COME
    guest.decided_by_id, guest.decided_at = by.id, now
    record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Guest approved" if approve else "Guest cannot come")
    db.session.flush()
    if not approve:
        _email(invitation, "guest_cannot_come", SUBJECT_GUESTS, guest_name=guest.name, link=issue_link(invitation))
        if invitation.status.holds_places:
            offer_free_places(invitation.event, now)


# --- reminders ------------------------------------------------------------------------------------------------


REMIND_BATCH = 500  # invitations read, changed and flushed at a time by the daily reminders


def _reminders_due(now: datetime, after_id: int, limit: int):
    """The next `limit` invitations (by id, after `after_id`) owed a reminder, with their settings."""
    return db.session.execute(
        select(Invitation, InvitationSettings)
        .join(InvitationSettings, InvitationSettings.event_id == Invitation.event_id)
        .join(Event, Event.id == Invitation.event_id)
        .where(
            Event.cancelled_at.is_(None),  # nobody is asked to reply to a cancelled event
            Invitation.status == InvitationStatus.NOT_REPLIED,
            # sent by email, or (no email) as a letter through their worker or the organisers
            or_(Invitation.sent_at.is_not(None), Invitation.letter_needed.is_(True)),
            InvitationSettings.reply_by.is_not(None),
            InvitationSettings.reply_by > now,
            InvitationSettings.reply_by <= now + timedelta(days=7),
            # not already reminded (the 2-day reminder is owed only in the last 2 days)
            or_(Invitation.reminded_7_at.is_(None), and_(Invitation.reminded_2_at.is_(None), InvitationSettings.reply_by <= now + timedelta(days=2))),
            Invitation.id > after_id,
        )
        .order_by(Invitation.id)
        .limit(limit)
        .options(joinedload(Invitation.young_person))
    ).tuples().all()


def send_reminders(now: datetime | None = None) -> int:
    """Email those who have not replied, 7 and 2 days before the reply date; never the same reminder twice.

    REMIND_BATCH invitations at a time (keyset by id), each batch flushed before the next is read,
    so the session holds one batch of changed records however many are due (issue 19). Nothing is
    committed here: the command commits once, when every reminder is queued."""
    now = now or utcnow()
    sent = 0
    last = 0
    while True:
        rows = _reminders_due(now, last, REMIND_BATCH)
        if not rows:
            break
        sent += _remind(rows, now)
        db.session.flush()
        last = rows[-1][0].id
        if len(rows) < REMIND_BATCH:
            break
    return sent


def _remind(rows, now: datetime) -> int:
    sent = 0
    for invitation, settings in rows:
        left = settings.reply_by - now
        if left <= timedelta(days=2):
            if invitation.reminded_2_at is not None:
                continue
            invitation.reminded_2_at = now
            invitation.reminded_7_at = invitation.reminded_7_at or now
        else:
            if invitation.reminded_7_at is not None:
                continue
            invitation.reminded_7_at = now
        person = invitation.young_person
        if person.email or (person.can_be_texted and texts_enabled()):
            _email(invitation, "reminder", SUBJECT_REMINDER, link=issue_link(invitation), settings=settings)
        if not person.email:  # no email: the reminder goes to their worker as a letter (issue 17)
            send_worker_letter(invitation, LetterKind.REMINDER, link_if_workers(person, issue_link, invitation), settings=settings)
        sent += 1
    return sent


# --- merging two young people's records ------------------------------------------------------------------


def _move_invitations_on_merge(keep, merge) -> None:
    """The merged record's invitations move to the kept record. Where both were invited to the
    same event, the invitation with a reply is kept (the kept record's, if both or neither replied)."""
    moving = db.session.execute(select(Invitation).where(Invitation.young_person_id == merge.id)).scalars().all()
    for old in moving:
        current = db.session.execute(
            select(Invitation).where(Invitation.young_person_id == keep.id, Invitation.event_id == old.event_id)
        ).scalar_one_or_none()
        if current is not None:
            drop, stay = (current, old) if (old.replied_at and not current.replied_at) else (old, current)
            held = drop.status.keeps_own_place
            if held:
                _lock_event(drop.event)
            record(None, AuditAction.UPDATED, drop, young_person=keep, detail="Invitation removed: records merged")
            db.session.delete(drop)
            db.session.flush()
            if stay is old:
                old.young_person_id, old.young_person = keep.id, keep
            if held:
                offer_free_places(stay.event)
        else:
            old.young_person_id, old.young_person = keep.id, keep
    db.session.flush()


def connect_signals() -> None:
    """Called once from cpevents/wiring.py when the app is built."""
    from cpevents.young_people.services import connect_merge

    connect_merge(_move_invitations_on_merge, "invitations.young_person_id")
    register_reprinter(LetterKind.INVITATION, reprint_letter)
    register_reprinter(LetterKind.REMINDER, reprint_letter)
