"""Read-side queries for feedback: who is asked, and the figures (aggregates only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback.models import (
    POSITIVE,
    STATEMENTS,
    FeedbackAction,
    FeedbackLink,
    FeedbackResponse,
    Scale,
    points_of,
)
from cpevents.invitations.models import Invitation
from cpevents.young_people.models import YoungPerson

SMALL = 5  # fewer answers than this: no shares are shown, only "fewer than 5"


def feedback_recipients(event: Event) -> list[Invitation]:
    """The invitations whose young person is asked for feedback: everyone who replied, or who was
    checked in at the door (someone who turned up without replying was there too)."""
    return list(
        db.session.execute(
            select(Invitation)
            .join(YoungPerson, Invitation.young_person_id == YoungPerson.id)
            .where(Invitation.event_id == event.id, or_(Invitation.replied_at.is_not(None), Invitation.checked_in_at.is_not(None)))
            .order_by(Invitation.id)
        ).scalars()
    )


def for_letters(event: Event) -> list[Invitation]:
    """Recipients with no email address who have not answered yet: their worker hands them a letter."""
    done = set(db.session.execute(select(FeedbackLink.invitation_id).where(FeedbackLink.used.is_(True))).scalars())
    return [i for i in feedback_recipients(event) if not i.young_person.email and i.id not in done]


def answered(invitation_id: int) -> bool:
    return db.session.execute(
        select(func.count(FeedbackLink.id)).where(FeedbackLink.invitation_id == invitation_id, FeedbackLink.used.is_(True))
    ).scalar_one() > 0


@dataclass
class StatementFigures:
    key: str
    text: str
    counts: list[tuple[str, int]]  # (scale label, number), not at all .. completely
    answered: int
    positive: int  # "mostly" or "completely"
    skipped: int

    @property
    def small(self) -> bool:
        return self.answered < SMALL

    @property
    def share(self) -> int | None:
        """Percentage answering mostly or completely, or None when too few answered to show it."""
        if self.small:
            return None
        return round(100 * self.positive / self.answered)

    @property
    def share_text(self) -> str:
        if self.answered == 0:
            return "No answers yet"
        if self.small:
            return f"Fewer than {SMALL} answers"
        return f"{self.share}%"


@dataclass
class Summary:
    responses: int = 0
    links_sent: int = 0  # young people sent a link (by email or letter)
    statements: list[StatementFigures] = field(default_factory=list)

    @property
    def small(self) -> bool:
        return self.responses < SMALL


def _statement_columns(where) -> tuple[int, list[StatementFigures]]:
    """One grouped query: per statement, how many gave each answer, and how many skipped."""
    columns: list[ColumnElement[Any]] = [func.count(FeedbackResponse.id)]
    for key, _ in STATEMENTS:
        col = getattr(FeedbackResponse, key)
        for scale in Scale:
            columns.append(func.sum(case((col == scale.value, 1), else_=0)))
        columns.append(func.sum(case((col.is_(None), 1), else_=0)))
    row = db.session.execute(select(*columns).select_from(FeedbackResponse).where(*where)).one()
    total = row[0] or 0
    out = []
    values = list(row[1:])
    for index, (key, text) in enumerate(STATEMENTS):
        chunk = [int(v or 0) for v in values[index * 6 : index * 6 + 6]]
        counts = [(scale.label, chunk[scale.value - 1]) for scale in Scale]
        answered_n = sum(chunk[:5])
        positive = sum(chunk[v - 1] for v in POSITIVE)
        out.append(StatementFigures(key=key, text=text, counts=counts, answered=answered_n, positive=positive, skipped=chunk[5]))
    return total, out


def event_summary(event: Event) -> Summary:
    total, statements = _statement_columns([FeedbackResponse.event_id == event.id])
    sent = db.session.execute(
        select(func.count(func.distinct(FeedbackLink.invitation_id)))
        .join(Invitation, FeedbackLink.invitation_id == Invitation.id)
        .where(Invitation.event_id == event.id)
    ).scalar_one()
    return Summary(responses=total, links_sent=sent, statements=statements)


def free_text(event: Event) -> list[str]:
    """What young people said we should do differently: alphabetical, never in the order given,
    so nothing can be matched to when someone answered."""
    rows = db.session.execute(
        select(FeedbackResponse.improve).where(FeedbackResponse.event_id == event.id, FeedbackResponse.improve != "")
    ).scalars().all()
    return sorted(rows, key=str.casefold)


def period_summary(start, end) -> Summary:
    """Feedback about events held in a period (start inclusive, end exclusive, UTC instants)."""
    where = [FeedbackResponse.event_id.in_(select(Event.id).where(and_(Event.starts_at >= start, Event.starts_at < end)))]
    total, statements = _statement_columns(where)
    return Summary(responses=total, statements=statements)




# --- "You said, we did" -------------------------------------------------------------------------------


def feedback_action(event: Event) -> FeedbackAction | None:
    return db.session.execute(select(FeedbackAction).where(FeedbackAction.event_id == event.id)).scalar_one_or_none()


def sent_action(event_id: int) -> FeedbackAction | None:
    """The event's "You said, we did", only once it has been sent (what young people may see)."""
    return db.session.execute(
        select(FeedbackAction).where(FeedbackAction.event_id == event_id, FeedbackAction.sent_at.is_not(None))
    ).scalar_one_or_none()


def action_recipients(event: Event) -> list[tuple[str, str]]:
    """(email address, name to greet) for everyone who was sent a feedback link for the event and
    has an email address: one per address, whether or not they answered (answers are anonymous)."""
    rows = db.session.execute(
        select(YoungPerson.email, YoungPerson.first_name, YoungPerson.preferred_name)
        .join(Invitation, Invitation.young_person_id == YoungPerson.id)
        .where(Invitation.event_id == event.id, Invitation.id.in_(select(FeedbackLink.invitation_id)),
               YoungPerson.email != "")
        .order_by(Invitation.id)
    ).all()
    seen: dict[str, tuple[str, str]] = {}
    for email, first, preferred in rows:
        seen.setdefault(email.casefold(), (email, preferred or first))
    return list(seen.values())


def acted_on(start, end) -> tuple[int, int, list[tuple[str, list[str]]]]:
    """For events held in [start, end): how many asked for feedback (sent at least one feedback
    link), how many of those have sent a "You said, we did", and each sent one's points by event."""
    held = (Event.starts_at >= start, Event.starts_at < end)
    asked = db.session.execute(
        select(func.count(func.distinct(Invitation.event_id)))
        .join(FeedbackLink, FeedbackLink.invitation_id == Invitation.id)
        .join(Event, Event.id == Invitation.event_id).where(*held)
    ).scalar_one()
    sent = db.session.execute(
        select(Event.name, FeedbackAction.text).join(FeedbackAction, FeedbackAction.event_id == Event.id)
        .where(*held, FeedbackAction.sent_at.is_not(None)).order_by(Event.starts_at, Event.id)
    ).all()
    return asked, len(sent), [(name, points_of(text)) for name, text in sent]
