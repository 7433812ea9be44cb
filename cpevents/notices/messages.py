"""Messages to the people coming (issue 17): an organiser writes to one group of one event's
people, sees how many it reaches and who cannot be emailed, previews exactly what is sent, and it
goes as one outbox batch. Every message is kept with the event (EventMessage).

Groups: young people coming (or offered a place), not replied (or not sure yet), on the waiting
list, not coming; people registered in each audience (with a place or waiting); nominators of the
event's files (sent, not withdrawn); door helpers. Who is in a group is worked out with the change
notices' own queries (services.invitations_of, registrations_of, helpers_of).

Safeguarding: a young person with a contact restriction (their invitation hides the venue) never
gets the organiser's subject or words, which may name the venue: they get a fixed neutral subject
and message asking them to speak to their worker, as change notices do. Young people without an
email address are counted and named for the organiser, with their worker, to tell them another way.

Personal links only where that is already how the person's emails work: invitees get a fresh
invitation link (as every invitation and change notice email does), registrants a cancel link
(as their registration email does); nominators and door helpers have accounts and get no link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpevents.accounts.models import User
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus
from cpevents.invitations.services import issue_link
from cpevents.mail.services import queue_email, start_batch
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.notices import services
from cpevents.notices.models import EventMessage, MessageGroup
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus
from cpevents.registrations.services import new_cancel_link
from cpevents.young_people.models import YoungPerson

SUBJECT_LIMIT = 78  # one line in any mail program
TEXT_LIMIT = services.MESSAGE_LIMIT
# What a contact-restricted young person gets instead of the organiser's subject and words.
PRIVATE_SUBJECT = "A message about an event you are invited to"

INVITEE_GROUPS = {
    MessageGroup.COMING: services.INVITEES_COMING,
    MessageGroup.NOT_REPLIED: (InvitationStatus.NOT_REPLIED, InvitationStatus.NOT_SURE),
    MessageGroup.WAITING: (InvitationStatus.WAITING,),
    MessageGroup.NOT_COMING: (InvitationStatus.NOT_COMING,),
}
GROUP_WORDS = {
    MessageGroup.COMING: "Young people coming (or offered a place)",
    MessageGroup.NOT_REPLIED: "Young people who have not replied (or are not sure yet)",
    MessageGroup.WAITING: "Young people on the waiting list",
    MessageGroup.NOT_COMING: "Young people not coming",
    MessageGroup.NOMINATORS: "Nominators of this event's nominations",
    MessageGroup.DOOR_HELPERS: "Door helpers",
}
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]|&[a-zA-Z]+;|&#\d+;")
_CARE = re.compile(r"\bcare\b|\bcared\b|\bcare-", re.IGNORECASE)


def html_problem(text: str) -> str | None:
    """Messages are plain text: anything that looks like HTML is refused, not sent as typed."""
    return "Write plain text only: remove anything in < > brackets and any & codes" if _HTML.search(text or "") else None


def subject_problem(subject: str) -> str | None:
    """Subjects are seen by anyone who glimpses the inbox: never say "care"."""
    if _CARE.search(subject or ""):
        return "The subject must not say “care”: anyone who sees the inbox could read it. Say it in the message instead"
    return None


def group_key(group: MessageGroup, audience: EventAudience | None = None) -> str:
    return f"audience-{audience.public_id}" if group == MessageGroup.AUDIENCE and audience else group.value


@dataclass
class Recipients:
    """Who a message to one group reaches, and who in it cannot be emailed."""

    group: MessageGroup
    name: str
    audience: EventAudience | None = None
    invitations: list[Invitation] = field(default_factory=list)  # young people with an email address
    registrations: list[Registration] = field(default_factory=list)
    users: list[User] = field(default_factory=list)  # nominators or door helpers
    no_email: list[YoungPerson] = field(default_factory=list)  # named for the organiser, with their worker

    @property
    def total(self) -> int:
        return len(self.invitations) + len(self.registrations) + len(self.users)

    @property
    def private(self) -> int:
        return sum(1 for i in self.invitations if i.young_person.contact_restriction)

    @property
    def key(self) -> str:
        return group_key(self.group, self.audience)


def _nominators(event: Event) -> list[User]:
    """Everyone who sent a nomination for this event that is still in (sent, not withdrawn), once each."""
    ids = select(Nomination.nominator_id).where(Nomination.event_id == event.id, Nomination.status == NominationStatus.SENT)
    users = db.session.execute(select(User).where(User.id.in_(ids)).order_by(User.id)).scalars()
    return [u for u in users if u.is_active and u.email]


def recipients(event: Event, group: MessageGroup, audience: EventAudience | None = None) -> Recipients:
    name = f"Registered as {audience.name.lower()}" if group == MessageGroup.AUDIENCE and audience else GROUP_WORDS.get(group, group.label)
    out = Recipients(group=group, name=name, audience=audience)
    if group in INVITEE_GROUPS:
        for invitation in services.invitations_of(event, INVITEE_GROUPS[group]):
            if invitation.young_person.email:
                out.invitations.append(invitation)
            else:
                out.no_email.append(invitation.young_person)
        if out.no_email:  # their workers, for the organiser's list, in one query
            people = db.session.execute(select(YoungPerson).where(YoungPerson.id.in_([p.id for p in out.no_email]))
                                        .options(selectinload(YoungPerson.worker_links))).scalars().all()
            out.no_email = sorted(people, key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.id))
    elif group == MessageGroup.AUDIENCE:
        out.registrations = services.registrations_of(event, audience.id) if audience else []
    elif group == MessageGroup.NOMINATORS:
        out.users = _nominators(event)
    elif group == MessageGroup.DOOR_HELPERS:
        out.users = [h.user for h in services.helpers_of(event)]
    return out


def groups(event: Event) -> list[Recipients]:
    """Every group of the event, each with who it reaches, in the order the organiser sees them."""
    out = [recipients(event, g) for g in INVITEE_GROUPS]
    out += [recipients(event, MessageGroup.AUDIENCE, a) for a in services.audiences_of(event)]
    out += [recipients(event, MessageGroup.NOMINATORS), recipients(event, MessageGroup.DOOR_HELPERS)]
    return out


def find_group(event: Event, key: str) -> Recipients | None:
    """The group a form's choice names, or None if it is not one of this event's."""
    if key.startswith("audience-"):
        audience = db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id,
                                                                  EventAudience.public_id == key.removeprefix("audience-"))).scalar_one_or_none()
        return recipients(event, MessageGroup.AUDIENCE, audience) if audience else None
    try:
        group = MessageGroup(key)
    except ValueError:
        return None
    return None if group == MessageGroup.AUDIENCE else recipients(event, group)


def private_text(event: Event) -> str:
    """For a young person whose venue is kept from them: never the organiser's words."""
    return (f"The participation team has sent a message about {event.name} to the young people invited. "
            "Please speak to your worker, who will tell you what it says.")


def _template(recipients_: Recipients) -> str:
    if recipients_.invitations or recipients_.group in INVITEE_GROUPS:
        return "message_invitee"
    if recipients_.group == MessageGroup.AUDIENCE:
        return "message_registered"
    return "message_user"


def _context(event: Event, group: Recipients) -> dict:
    return {"event_name": event.name, "group": group.group.value,
            "waiting": group.group == MessageGroup.WAITING, "sign_in_url": absolute_url("accounts.sign_in")}


def preview(event: Event, group: Recipients, subject: str, text: str, *, private: bool = False) -> dict:
    """Exactly what one person in the group is sent (the text part), with their name and personal
    link shown as placeholders."""
    template = f"emails/notices/{_template(group)}.txt"
    context = _context(event, group)
    body = render_template(template, subject=subject, name="[their name]", message=private_text(event) if private else text,
                           link="[their personal link]", cancel_link="[their personal cancel link]", private=private,
                           service_name=current_app.config["SERVICE_NAME"], base_url=current_app.config["BASE_URL"],
                           support_email=current_app.config["SUPPORT_EMAIL"], **context)
    return {"subject": PRIVATE_SUBJECT if private else subject, "body": body.strip()}


def send_message(event: Event, group: Recipients, subject: str, text: str, *, by) -> EventMessage:
    """Queue the message to everyone in the group with an email address, as one batch, and keep it."""
    batch = start_batch(f"Message: {event.name} – {group.name}", by=by)
    context = _context(event, group)
    template = f"notices/{_template(group)}"
    sent = 0
    for invitation in group.invitations:
        person = invitation.young_person
        private = bool(person.contact_restriction)
        queue_email(template, to=person.email, subject=PRIVATE_SUBJECT if private else subject, batch=batch,
                    name=person.first_or_preferred, message=private_text(event) if private else text, private=private,
                    secrets={"link": issue_link(invitation)}, **context)
        sent += 1
    for registration in group.registrations:
        queue_email(template, to=registration.email, subject=subject, batch=batch, name=registration.name, message=text,
                    waiting=registration.status == RegistrationStatus.WAITING, audience=registration.audience.name,
                    secrets={"cancel_link": new_cancel_link(registration)},
                    **{k: v for k, v in context.items() if k != "waiting"})
        sent += 1
    for user in group.users:
        queue_email(template, to=user.email, subject=subject, batch=batch, user=user, name=user.name, message=text, **context)
        sent += 1
    message = EventMessage(event_id=event.id, group=group.group, audience_id=group.audience.id if group.audience else None,
                           group_name=group.name, subject=subject, text=text, sent_by_id=getattr(by, "id", None),
                           emailed=sent, not_emailed=len(group.no_email), batch_id=batch.id)
    db.session.add(message)
    db.session.flush()
    record(by, AuditAction.CREATED, message, detail=f"Message to {group.name.lower()}: {sent} emailed, {len(group.no_email)} without email")
    return message


def just_sent(event: Event, group: Recipients, subject: str, text: str) -> EventMessage | None:
    """The same message to the same group in the last ten minutes (the Send button pressed twice,
    or the page sent again from the browser's history): it is not sent twice."""
    return db.session.execute(select(EventMessage).where(
        EventMessage.event_id == event.id, EventMessage.group == group.group,
        EventMessage.audience_id == group.audience.id if group.audience else EventMessage.audience_id.is_(None),
        EventMessage.subject == subject, EventMessage.text == text, EventMessage.sent_at >= utcnow() - timedelta(minutes=10),
    ).order_by(EventMessage.id.desc())).scalars().first()


def messages_of(event: Event) -> list[EventMessage]:
    return list(db.session.execute(select(EventMessage).where(EventMessage.event_id == event.id)
                                   .options(selectinload(EventMessage.sent_by), selectinload(EventMessage.batch))
                                   .order_by(EventMessage.sent_at.desc(), EventMessage.id.desc())).scalars())
