"""Change notices: when an event's date, time or venue changes, or it is cancelled, the organiser
decides whether to tell everyone with a place, sees the message, and it goes as one outbox batch.

Who is told: young people coming or offered a place (their guests through them: the message
says so), young people on the waiting list, people registered in each audience (with a place or
waiting), and the event's door helpers. A young person with a contact restriction is never sent
the venue (as in their invitation): they get a fixed message saying the event changed and to
speak to their worker, never the organiser's words (which may name the venue), and a calendar
file without a location.

Each message with a place carries a calendar file with the same UID as the person's earlier
files (invitations: their door code; registrations: the event) and the event's new SEQUENCE, so
calendars update the entry they have; a cancellation sends METHOD:CANCEL and STATUS:CANCELLED.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.calendar import CANCEL, PUBLISH
from cpevents.core.letters import LetterText
from cpevents.core.time import london, utcnow
from cpevents.door.models import EventDoorHelper
from cpevents.events.models import ChangeDecision, ChangeKind, Event, EventChange
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus
from cpevents.invitations.services import invitation_calendar, issue_link, revoke_links
from cpevents.mail.models import EmailBatch
from cpevents.mail.services import queue_email, queue_text, start_batch
from cpevents.mail.texts import texts_enabled
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus
from cpevents.registrations.services import event_calendar, new_cancel_link
from cpevents.young_people.letters import (
    LetterKind,
    WorkerLetter,
    link_if_workers,
    register_reprinter,
    send_letter,
)

# Neutral subjects: nothing says what the event is or that anyone is in care.
SUBJECT_CHANGED = "A change to an event you are part of"
SUBJECT_CANCELLED = "An event you are part of has been cancelled"
MESSAGE_LIMIT = 3000

WHEN_FORMAT = "%A %-d %B %Y at %-I:%M%p"

INVITEES_COMING = (InvitationStatus.COMING, InvitationStatus.OFFERED)


@dataclass
class Reach:
    """Who a change notice would reach, counted by group, for the organiser's page."""

    invitations: list[Invitation] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    helpers: list[EventDoorHelper] = field(default_factory=list)
    coming: int = 0
    waiting: int = 0
    private: int = 0  # young people whose venue is kept from them: the fixed message
    no_email: int = 0  # young people with no email address: their worker needs to tell them
    audiences: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(1 for i in self.invitations if i.young_person.email) + len(self.registrations) + len(self.helpers)


def invitations_of(event: Event, statuses) -> list[Invitation]:
    """The event's invitations in these states, with their young people, in one query."""
    return list(db.session.execute(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.status.in_(tuple(statuses)))
        .options(selectinload(Invitation.young_person)).order_by(Invitation.id)
    ).scalars())


def registrations_of(event: Event, audience_id: int | None = None) -> list[Registration]:
    """People registered with a place or waiting for one (in one audience, if given)."""
    query = select(Registration).where(Registration.event_id == event.id,
                                       Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)))
    if audience_id is not None:
        query = query.where(Registration.audience_id == audience_id)
    return list(db.session.execute(query.options(selectinload(Registration.audience)).order_by(Registration.id)).scalars())


def audiences_of(event: Event) -> list[EventAudience]:
    return list(db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id)
                                   .order_by(EventAudience.position, EventAudience.id)).scalars())


def helpers_of(event: Event) -> list[EventDoorHelper]:
    """The event's door helpers who can be emailed (an active account with an address)."""
    helpers = db.session.execute(
        select(EventDoorHelper).where(EventDoorHelper.event_id == event.id).options(selectinload(EventDoorHelper.user)).order_by(EventDoorHelper.id)
    ).scalars()
    return [h for h in helpers if h.user.is_active and h.user.email]


def reach(event: Event) -> Reach:
    """Everyone with a place or waiting for one, in four queries whatever their number."""
    out = Reach()
    out.invitations = invitations_of(event, (*INVITEES_COMING, InvitationStatus.WAITING))
    for invitation in out.invitations:
        person = invitation.young_person
        if not person.email:
            out.no_email += 1
            continue
        if invitation.status == InvitationStatus.WAITING:
            out.waiting += 1
        else:
            out.coming += 1
        if person.contact_restriction:
            out.private += 1
    out.registrations = registrations_of(event)
    counts = Counter(r.audience_id for r in out.registrations)
    out.audiences = [(a.name, counts[a.id]) for a in audiences_of(event)]
    out.helpers = helpers_of(event)
    return out


def subject_for(change: EventChange) -> str:
    return SUBJECT_CANCELLED if change.kind == ChangeKind.CANCELLED else SUBJECT_CHANGED


def _when(moment) -> str:
    return london(moment, WHEN_FORMAT)


def default_message(change: EventChange) -> str:
    """What changed, old and new, in plain words: the organiser may change it before it goes."""
    event = change.event
    if change.kind == ChangeKind.CANCELLED:
        return (f"We are sorry: {event.name}, on {_when(change.new_starts_at)}, has been cancelled. It will not take place.\n\n"
                "If you had it in your calendar, you can remove it.")
    lines = [f"{event.name} has changed."]
    if change.when_changed:
        lines.append(f"It was on {_when(change.old_starts_at)}. It is now on {_when(change.new_starts_at)}.")
    if change.venue_changed:
        old, new = change.old_venue or "not set", change.new_venue or "to be confirmed"
        lines.append(f"The venue was {old}. It is now {new}.")
    lines.append("If you can no longer come, please tell us, so someone else can have your place.")
    return "\n\n".join(lines)


def private_message(change: EventChange) -> str:
    """For a young person whose venue is kept from them: never the venue, never the organiser's words."""
    name = change.event.name
    if change.kind == ChangeKind.CANCELLED:
        return f"We are sorry: {name} has been cancelled. It will not take place. Please speak to your worker if you have any questions."
    return f"Something about {name} has changed. Please speak to your worker, who will tell you what has changed."


def send_change_notice(change: EventChange, message: str, *, by) -> tuple[EmailBatch, int]:
    """Queue the change notice to everyone reached, as one batch; record the organiser's yes.
    Returns the batch and how many emails were queued."""
    if change.decision is not None:
        raise ValueError("People have already been told about this change, or the organiser chose not to")
    event = change.event
    cancelled = change.kind == ChangeKind.CANCELLED
    method = CANCEL if cancelled else PUBLISH
    organizer = current_app.config["SUPPORT_EMAIL"]
    subject = subject_for(change)
    batch = start_batch(f"Change notice: {event.name}", by=by)
    people = reach(event)

    def send(template: str, to: str, **context) -> None:
        queue_email(f"notices/{template}", to=to, subject=subject, batch=batch, event_name=event.name, cancelled=cancelled, **context)

    shared_calendar = event_calendar(event, method=method, organizer=organizer)
    sent = letters = 0
    for invitation in people.invitations:
        person = invitation.young_person
        texted = person.can_be_texted and texts_enabled()
        if not person.email:  # through their worker, as a letter to print or pass on (issue 17)
            send_change_letter(change, invitation, message)
            letters += 1
        if not person.email and not texted:
            continue
        waiting = invitation.status == InvitationStatus.WAITING
        private = person.contact_restriction  # the invitation hides the venue from them
        link = None if cancelled else issue_link(invitation)
        secrets = {"link": link} if link else {}
        if person.email:
            calendar = None if waiting else invitation_calendar(invitation, show_venue=not private, method=method, organizer=organizer)
            send("change_invitee", person.email, name=person.first_or_preferred, message=private_message(change) if private else message,
                 private=private, waiting=waiting, attach_calendar=calendar, secrets=secrets)
            sent += 1
        if texted:  # short and neutral: never the organiser's words, so never the venue (issue 17)
            queue_text("change", to=person.mobile, batch=batch, name=person.first_or_preferred, cancelled=cancelled, private=private,
                       secrets={} if private else secrets)
    for registration in people.registrations:
        waiting = registration.status == RegistrationStatus.WAITING
        secrets = {} if cancelled else {"cancel_link": new_cancel_link(registration)}
        send("change_registered", registration.email, name=registration.name, message=message, waiting=waiting,
             audience=registration.audience.name, attach_calendar=None if waiting else shared_calendar, secrets=secrets)
        sent += 1
        if registration.mobile and registration.mobile_agreed_at is not None:  # they agreed to texts when registering
            queue_text("change_registered", to=registration.mobile, batch=batch, name=registration.name, cancelled=cancelled)
    for helper in people.helpers:
        send("change_door_helper", helper.user.email, user=helper.user, name=helper.user.name, message=message, attach_calendar=shared_calendar)
        sent += 1
    change.decision, change.decided_at, change.decided_by_id = ChangeDecision.TOLD, utcnow(), getattr(by, "id", None)
    change.subject, change.message, change.batch_id, change.emailed = subject, message, batch.id, sent
    record(by, AuditAction.UPDATED, event, detail=f"{change.in_words}: {sent} people told" + (f", {letters} by a letter through their worker" if letters else ""))
    return batch, sent


# --- a letter through their worker, for a young person without email (issue 17) --------------------------


def change_letter_text(change: EventChange, invitation, message: str, url: str) -> LetterText:
    """The change notice as a letter. A young person whose invitation hides the venue gets the
    fixed words (never the organiser's, which may name it), as in the email."""
    person = invitation.young_person
    private = person.contact_restriction
    cancelled = change.kind == ChangeKind.CANCELLED
    words = private_message(change) if private else message
    paragraphs = [p.strip() for p in words.split("\n") if p.strip()]
    if not cancelled and invitation.status in INVITEES_COMING and not private:
        paragraphs.append("If you can no longer come, you can change your reply with the link below. Please tell your guests too.")
    return LetterText(heading="The event has been cancelled" if cancelled else "A change to an event you are part of",
                      greeting=f"Hello {person.first_or_preferred},", paragraphs=paragraphs, link="" if cancelled else url,
                      after_link="" if cancelled else "This link is just for you. Please do not share it.")


def send_change_letter(change: EventChange, invitation, message: str) -> None:
    person = invitation.young_person
    url = "" if change.kind == ChangeKind.CANCELLED else link_if_workers(person, issue_link, invitation)
    send_letter(person, LetterKind.CHANGE_NOTICE, change_letter_text(change, invitation, message, url), event=change.event,
                subject_id=invitation.id, about=f"a change to {change.event.name}")


def reprint_change_letter(letter: WorkerLetter) -> LetterText | None:
    """Printed again: the latest change people were told of, with a fresh link (older links stop)."""
    invitation = db.session.get(Invitation, letter.subject_id)
    if invitation is None or invitation.young_person_id != letter.young_person_id:
        return None
    change = db.session.execute(select(EventChange).where(EventChange.event_id == invitation.event_id, EventChange.decision == ChangeDecision.TOLD)
                                .order_by(EventChange.id.desc()).limit(1)).scalar_one_or_none()
    if change is None:
        return None
    url = ""
    if change.kind != ChangeKind.CANCELLED and invitation.link_works():
        revoke_links(invitation, by=None)
        url = issue_link(invitation)
    return change_letter_text(change, invitation, change.message or "", url)


def connect_signals() -> None:
    """Called once from cpevents/wiring.py."""
    register_reprinter(LetterKind.CHANGE_NOTICE, reprint_change_letter)
