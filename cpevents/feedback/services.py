"""The verbs of feedback: close an event, send the feedback links, take an answer.
Services never commit: the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.models import rows_changed
from cpevents.core.time import LONDON, utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback.models import MAX_TEXT, STATEMENTS, FeedbackLink, FeedbackResponse
from cpevents.feedback.queries import feedback_recipients
from cpevents.invitations.models import Invitation
from cpevents.mail.services import queue_email, start_batch

# Neutral: nothing in a subject line says who the email is for or why.
SUBJECT_FEEDBACK = "Tell us what you think"


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
        if not person.email:
            letters += 1
            continue
        if batch is None:
            batch = start_batch(f"Feedback: {event.name}", by=by)
        queue_email(
            "feedback/feedback",
            to=person.email,
            subject=SUBJECT_FEEDBACK,
            batch=batch,
            name=person.first_or_preferred,
            event_name=event.name,
            secrets={"link": issue_link(invitation, now)},
            until=(FeedbackLink.expiry_from(now).astimezone(LONDON)).strftime("%-d %B %Y"),
        )
        emailed += 1
    return batch, emailed, letters


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
