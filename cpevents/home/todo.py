"""The organiser's day: what needs them, across every event that is not closed.

Each line's counting is a read-side query in its own domain (one grouped query per line, never
one per event or per row); this module only gathers them, names the events and builds the links.
The same counts feed the event page's task list (`event_tasks`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import select

from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db


@dataclass
class Item:
    """One link of a line: an event's share of it, or the whole line when it is not per event."""

    count: int
    href: str
    event_name: str = ""


@dataclass
class Line:
    key: str
    text: str
    items: list[Item] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(i.count for i in self.items)


# (key, words, endpoint, extra link arguments): the per-event lines, in the order of the organiser's year.
PER_EVENT: list[tuple[str, str, str, dict[str, Any]]] = [
    ("changes", "Changes to tell people about, or not", "events.show", {}),
    ("to_match", "Nominations to match to a young person", "review.to_match", {}),
    ("safety", "Safety answers to review", "review.index", {"flagged": "y"}),
    ("files", "Files not yet accepted for judging", "review.index", {"status": "to_review"}),
    ("judges", "Judges behind with their scoring", "judging.panel", {}),
    ("guests", "Guests waiting for your approval", "invitations.index", {"show": "to_approve"}),
    ("letters", "Invitation letters to print and hand over", "invitations.letters", {}),
    ("late", "Not replied after the reply-by date", "invitations.index", {"show": "not_replied"}),
]


def _per_event_counts(now: datetime) -> dict[str, dict[int, int]]:
    from cpevents.events import queries as events
    from cpevents.invitations import queries as invitations
    from cpevents.judging import queries as judging
    from cpevents.nominations import queries as nominations

    return {
        "changes": events.undecided_changes_by_event(),
        "to_match": nominations.to_match_by_event(),
        "safety": nominations.safety_to_review_by_event(),
        "files": nominations.files_to_review_by_event(),
        "judges": judging.judges_behind_by_event(),
        "guests": invitations.guests_to_approve_by_event(),
        "letters": invitations.letters_by_event(),
        "late": invitations.late_replies_by_event(now),
    }


def todo_lines(now: datetime | None = None) -> list[Line]:
    """Every line of the organiser's to-do, those with nothing to do included (count 0).
    Twelve queries whatever the number of events, files or people."""
    from cpevents.accounts.queries import count_waiting_for_approval
    from cpevents.champions.queries import count_waiting
    from cpevents.mail.queries import failed_count
    from cpevents.young_people.letters import count_to_hand_over

    now = now or utcnow()
    counts = _per_event_counts(now)
    ids = {event_id for per_event in counts.values() for event_id, n in per_event.items() if n}
    events = {}
    if ids:
        events = {
            e.id: e
            for e in db.session.execute(
                select(Event).where(Event.id.in_(sorted(ids)), Event.closed_at.is_(None)).order_by(Event.starts_at, Event.id)
            ).scalars()
        }
    lines = []
    for key, text, endpoint, args in PER_EVENT:
        per_event = counts[key]
        items = [
            Item(count=per_event[event_id], href=url_for(endpoint, public_id=event.public_id, **args), event_name=event.name)
            for event_id, event in events.items()
            # A cancelled event needs only the decision about telling people.
            if per_event.get(event_id) and (key == "changes" or not event.is_cancelled)
        ]
        lines.append(Line(key=key, text=text, items=items))
    # The lines that are not about one event, placed where the organiser's year puts them.
    champions = Line("champions", "Champion applications to decide", _one(count_waiting(), url_for("champions.applications")))
    failed = Line("failed", "Emails that could not be sent", _one(failed_count(), url_for("emails.index", status="failed")))
    accounts = Line("accounts", "Accounts waiting for approval", _one(count_waiting_for_approval(), url_for("people.index", status="pending")))
    # Issue 17: letters for young people without email, every kind and event, still to hand over.
    worker_letters = Line("worker_letters", "Letters for young people without email, to hand over", _one(count_to_hand_over(), url_for("letters.index")))
    return lines[:4] + [champions, failed] + lines[4:] + [worker_letters, accounts]


def _one(count: int, href: str) -> list[Item]:
    return [Item(count=count, href=href)] if count else []
