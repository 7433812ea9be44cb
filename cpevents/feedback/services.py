"""The verbs of feedback: close an event, send the feedback links, take an answer.
Services never commit: the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.letters import LetterText
from cpevents.core.models import rows_changed
from cpevents.core.time import LONDON, utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback.models import (
    MAX_ACTION_TEXT,
    MAX_TEXT,
    STATEMENTS,
    FeedbackAction,
    FeedbackLink,
    FeedbackResponse,
)
from cpevents.feedback.queries import action_recipients, feedback_action, feedback_recipients
from cpevents.invitations.models import Invitation
from cpevents.mail.services import queue_email, queue_text, start_batch
from cpevents.mail.texts import texts_enabled
from cpevents.young_people.letters import (
    LetterKind,
    WorkerLetter,
    link_if_workers,
    register_reprinter,
    send_letter,
)

# Neutral: nothing in a subject line says who the email is for or why.
SUBJECT_FEEDBACK = "Tell us what you think"
SUBJECT_ACTION = "You said, we did: what we changed"


class CloseError(Exception):
    """The event cannot be closed; the message says why, in plain words."""


@dataclass
class Closed:
    already: bool  # it was closed before: nothing changed
    emailed: int = 0
    letters: int = 0
    batch: object | None = None


@dataclass
class Answers:
    proud: int | None = None
    future: int | None = None
    supported: int | None = None
    views: int | None = None
    improve: str = ""


# --- closing ----------------------------------------------------------------------------------------


def close_event(event: Event, *, by, now: datetime | None = None) -> Closed:
    """No further replies or registrations; attendance is final; feedback links go out as one
    batch. Closing a closed event changes nothing."""
    now = now or utcnow()
    if event.is_closed:
        return Closed(already=True)
    if event.is_cancelled:
        raise CloseError("This event was cancelled, so there is nothing to close and no feedback to ask for.")
    if now < event.starts_at:
        raise CloseError("This event has not started yet. You can close it once it has started.")
    event.closed_at, event.closed_by_id = now, by.id
    record(by, AuditAction.UPDATED, event, detail="Event closed: no more replies; feedback links sent")
    batch, emailed, letters = send_feedback_links(event, by=by, now=now)
    return Closed(already=False, emailed=emailed, letters=letters, batch=batch)


# --- links ---------------------------------------------------------------------------------------------


def issue_link(invitation: Invitation, now: datetime | None = None) -> str:
    """A new feedback link (256 random bits); only its hash is kept. Returns the full address."""
    now = now or utcnow()
    token = new_token()
    db.session.add(FeedbackLink(invitation_id=invitation.id, token_hash=hash_token(token), created_at=now, expires_at=FeedbackLink.expiry_from(now)))
    return link_url(token)


def link_url(token: str) -> str:
    return absolute_url("feedback_link.open_link", token=token)


def find_link(token: str, now: datetime | None = None) -> FeedbackLink | None:
    """The working link for this token, or None (unknown, malformed or expired: all alike)."""
    if not token or len(token) > 100:
        return None
    link = db.session.execute(select(FeedbackLink).where(FeedbackLink.token_hash == hash_token(token))).scalar_one_or_none()
    return link if link is not None and link.works(now) else None


def send_feedback_links(event: Event, *, by, now: datetime | None = None) -> tuple[object | None, int, int]:
    """Email a link to every recipient with an email address (one background batch); the others
    wait for a printed letter. Returns (batch, emailed, letters)."""
    now = now or utcnow()
    batch, emailed, letters = None, 0, 0
    for invitation in feedback_recipients(event):
        person = invitation.young_person
        texted = person.can_be_texted and texts_enabled()
        if (person.email or texted) and batch is None:
            batch = start_batch(f"Feedback: {event.name}", by=by)
        link = issue_link(invitation, now) if person.email or texted else ""
        if texted:
            # Also by text (GOV.UK Notify), with the same link: short and neutral, no event name.
            queue_text("feedback", to=person.mobile, batch=batch, name=person.first_or_preferred, secrets={"link": link})
        if not person.email:
            letters += 1
            url = link_if_workers(person, issue_link, invitation, now)
            send_letter(person, LetterKind.FEEDBACK, letter_text(invitation, url, now), event=event, subject_id=invitation.id,
                        about=f"what they thought of {event.name}")
            continue
        queue_email(
            "feedback/feedback",
            to=person.email,
            subject=SUBJECT_FEEDBACK,
            batch=batch,
            name=person.first_or_preferred,
            event_name=event.name,
            secrets={"link": link},
            until=(FeedbackLink.expiry_from(now).astimezone(LONDON)).strftime("%-d %B %Y"),
        )
        emailed += 1
    return batch, emailed, letters


def letter_text(invitation: Invitation, url: str, now: datetime | None = None) -> LetterText:
    """The feedback email as a letter, for a young person without email (issue 17)."""
    until = FeedbackLink.expiry_from(now or utcnow()).astimezone(LONDON).strftime("%-d %B %Y")
    return LetterText(
        heading="What did you think?", greeting=f"Hello {invitation.young_person.first_or_preferred},",
        paragraphs=[f"Thank you for being part of {invitation.event.name}. We would like to know what you think. It is four quick questions "
                    "and one more if you want to say something. You do not have to answer any of them."],
        link=url, after_link=f"Your answers do not have your name on them. This link is just for you: please do not share it. It works until {until}.")


def reprint_letter(letter: WorkerLetter) -> LetterText | None:
    """A fresh feedback link for a letter printed again; the older links stop working."""
    invitation = db.session.get(Invitation, letter.subject_id)
    if invitation is None or invitation.young_person_id != letter.young_person_id:
        return None
    now = utcnow()
    db.session.execute(update(FeedbackLink).where(FeedbackLink.invitation_id == invitation.id, FeedbackLink.expires_at > now).values(expires_at=now))
    return letter_text(invitation, issue_link(invitation, now), now)


def connect_signals() -> None:
    """Called once from cpevents/wiring.py."""
    register_reprinter(LetterKind.FEEDBACK, reprint_letter)


def letter_links(invitations: list[Invitation], *, by, now: datetime | None = None) -> list[tuple[Invitation, str]]:
    """A new link for each printed letter; links printed or emailed before keep working."""
    now = now or utcnow()
    made = []
    for invitation in invitations:
        made.append((invitation, issue_link(invitation, now)))
        record(by, AuditAction.UPDATED, invitation, young_person=invitation.young_person, detail="Printed a feedback letter")
    return made


# --- answering -----------------------------------------------------------------------------------------


def record_answers(link: FeedbackLink, answers: Answers, now: datetime | None = None) -> bool:
    """Save the answers once per young person and event. Returns False (and changes nothing) when
    they have answered already, through this link or another.

    Every link of the invitation is marked used by one conditional UPDATE, so two answers sent at
    once cannot both be saved. The response is written with the event and the day only: nothing
    in it points back to the link, the invitation or the young person, and no audit entry is
    written (it would carry the time)."""
    now = now or utcnow()
    marked = rows_changed(db.session.execute(
        update(FeedbackLink)
        .where(FeedbackLink.invitation_id == link.invitation_id, FeedbackLink.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session=False)
    ))
    if not marked:
        return False
    event_id = db.session.execute(select(Invitation.event_id).where(Invitation.id == link.invitation_id)).scalar_one()
    values = {key: getattr(answers, key) for key, _ in STATEMENTS}
    db.session.add(FeedbackResponse(event_id=event_id, improve=(answers.improve or "")[:MAX_TEXT], submitted_on=now.astimezone(LONDON).date(), **values))
    db.session.flush()
    return True


# --- "You said, we did" --------------------------------------------------------------------------------


class ActionError(Exception):
    """"You said, we did" cannot be written or sent now; the message says why, in plain words."""


@dataclass
class ActionSent:
    already: bool  # it was sent before: nothing sent again
    emailed: int = 0


def _after_the_event(event: Event, now: datetime) -> None:
    if now < event.starts_at:
        raise ActionError("This event has not happened yet. You can write what you changed after it.")


def save_feedback_action(event: Event, text: str, *, by, now: datetime | None = None) -> FeedbackAction:
    """Write (or rewrite) the event's "You said, we did" before it is sent. Once sent it is final."""
    now = now or utcnow()
    _after_the_event(event, now)
    action = feedback_action(event)
    if action is not None and action.is_sent:
        raise ActionError("This has been sent already, so it cannot be changed.")
    if action is None:
        action = FeedbackAction(event_id=event.id, text="")
        db.session.add(action)
    action.text, action.written_by_id, action.written_at = text[:MAX_ACTION_TEXT], by.id, now
    db.session.flush()
    return action


def send_feedback_action(event: Event, *, by, now: datetime | None = None) -> ActionSent:
    """Queue one email per person who was sent a feedback link for the event (the same words to
    everyone, whether or not they answered), and record when. Sending twice sends nothing: the
    send is claimed by one conditional UPDATE, so two posts at once cannot both send."""
    now = now or utcnow()
    _after_the_event(event, now)
    if not event.is_closed:
        raise ActionError("Close the event first. Feedback links go out when you close it, and this goes to the same young people.")
    action = feedback_action(event)
    if action is None or not action.text.strip():
        raise ActionError("Write what you changed first.")
    claimed = rows_changed(db.session.execute(
        update(FeedbackAction)
        .where(FeedbackAction.id == action.id, FeedbackAction.sent_at.is_(None))
        .values(sent_at=now, sent_by_id=by.id)
        .execution_options(synchronize_session=False)
    ))
    db.session.refresh(action)
    if not claimed:
        return ActionSent(already=True)
    recipients = action_recipients(event)
    batch = start_batch(f"You said, we did: {event.name}", by=by) if recipients else None
    for address, name in recipients:
        queue_email("feedback/you_said_we_did", to=address, subject=SUBJECT_ACTION, batch=batch,
                    name=name, event_name=event.name, points=action.points)
    action.emailed = len(recipients)
    record(by, AuditAction.UPDATED, event, detail=f"\"You said, we did\" sent: {len(recipients)} emails queued")
    db.session.flush()
    return ActionSent(already=False, emailed=len(recipients))
