"""Demo feedback (called from cpevents.demo.seed_demo): a summer celebration in July that is over
and closed, 35 young people invited who replied, a feedback link for each, and 25 answers with a
realistic spread and a few things to do differently, and a "You said, we did" sent three weeks
after (made on its own, so a demo database from before it gets one too). Idempotent: made once;
every run prints a fresh working feedback link for one young person who has not answered."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update

from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.feedback import services
from cpevents.feedback.models import FeedbackAction, FeedbackLink, FeedbackResponse
from cpevents.feedback.queries import action_recipients, feedback_action, feedback_recipients
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import Invitation, InvitationStatus, ReplyHow
from cpevents.young_people.models import YoungPerson

EVENT = "Summer celebration (demo)"
INVITED, NOT_COMING, ANSWERED = 35, 3, 25
TEXTS = [
    "More time to talk to other young people, less time sitting listening to speeches.",
    "Could there be food that is not sandwiches? Maybe pizza.",
    "A quiet room to go to when it gets too loud.",
    "Tell us earlier so we can get the time off work.",
    "It was brilliant. Do the photo booth again!",
]
# What the participation team changed, answering the things young people said above.
ACTED_ON = """You said there was too much sitting and listening, so next time speeches are short and there is more time together.
You asked for food that is not sandwiches, so we are having a pizza van.
You asked for a quiet room, so there will be one, with someone you can talk to.
You said you needed to know earlier, so invitations go out eight weeks before."""
# Weights for not at all .. completely: most young people answer mostly or completely.
SPREAD = {
    "proud": [1, 2, 4, 9, 9],
    "future": [2, 3, 6, 8, 6],
    "supported": [1, 2, 5, 9, 8],
    "views": [2, 4, 6, 7, 6],
}


def _july() -> date:
    today = utcnow().astimezone(LONDON).date()
    year = today.year if today >= date(today.year, 8, 1) else today.year - 1
    return date(year, 7, 12)


def seed_feedback(organiser) -> dict:
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        event = _make(organiser)
    if feedback_action(event) is None:
        _acted_on(event, organiser)
    target = next((i for i in feedback_recipients(event) if i.young_person.email and not _answered(i)), None)
    link = services.issue_link(target) if target else None
    db.session.flush()
    return {"feedback_link": link}


def _answered(invitation: Invitation) -> bool:
    return bool(db.session.execute(select(FeedbackLink.id).where(FeedbackLink.invitation_id == invitation.id, FeedbackLink.used.is_(True))).first())


def _make(organiser) -> Event:
    rng = random.Random(8)  # noqa: S311 - repeatable demo data, not a secret
    day = _july()
    starts = datetime.combine(day, time(14, 0), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.OTHER, name=EVENT, starts_at=starts, venue="Riverside Park pavilion", capacity=120,
                         description="A summer afternoon of games, food and music for young people in care and care leavers, planned with the Children in Care Council.",
                         min_age=11, max_age=25, by=organiser)
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None)).order_by(YoungPerson.id.desc())
    ).scalars().all()
    # The young people with an email address first, so most get their link by email.
    people = sorted(people, key=lambda p: (not p.email, -p.id))[:INVITED]
    closed_at = starts + timedelta(days=1)
    invitations = []
    for index, person in enumerate(people):
        invitation = known(invitation_services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.sent_at = starts - timedelta(days=40)
        invitation.replied_at = starts - timedelta(days=rng.randint(10, 30), hours=rng.randint(0, 23))
        invitation.replied_how = rng.choice([ReplyHow.LINK, ReplyHow.LINK, ReplyHow.WORKER])
        invitation.status = InvitationStatus.NOT_COMING if index >= INVITED - NOT_COMING else InvitationStatus.COMING
        invitations.append(invitation)
    # Most of those coming were checked in at the door (its own random numbers, so the replies
    # and answers above stay as they were).
    door = random.Random(9)  # noqa: S311 - repeatable demo data, not a secret
    for index, invitation in enumerate(invitations):
        if invitation.status == InvitationStatus.COMING and index % 10 != 3:
            invitation.checked_in_at = starts + timedelta(minutes=door.randint(-15, 50))
    db.session.flush()
    event.closed_at, event.closed_by_id = closed_at, organiser.id
    # Everyone who replied was sent a link when the event closed (these demo links are long expired).
    for invitation in invitations:
        db.session.add(FeedbackLink(invitation_id=invitation.id, token_hash=hash_token(new_token()), created_at=closed_at,
                                    expires_at=FeedbackLink.expiry_from(closed_at), used=False))
    db.session.flush()
    answered = rng.sample([i for i in invitations if i.status == InvitationStatus.COMING], ANSWERED)
    for number, invitation in enumerate(answered):
        db.session.execute(
            update(FeedbackLink).where(FeedbackLink.invitation_id == invitation.id).values(used=True).execution_options(synchronize_session=False)
        )
        values = {key: (rng.choices(range(1, 6), weights=weights)[0] if rng.random() > 0.06 else None) for key, weights in SPREAD.items()}
        db.session.add(FeedbackResponse(event_id=event.id, improve=TEXTS[number] if number < len(TEXTS) else "",
                                        submitted_on=(closed_at + timedelta(days=rng.randint(0, 20))).astimezone(LONDON).date(), **values))
    db.session.flush()
    return event


def _acted_on(event: Event, organiser) -> None:
    """The "You said, we did" the organisers sent three weeks after closing (recorded as sent; the
    demo's emails from last summer are not queued again)."""
    closed = event.closed_at or event.starts_at
    written = closed + timedelta(days=21)
    db.session.add(FeedbackAction(event_id=event.id, text=ACTED_ON, written_by_id=organiser.id, written_at=written,
                                  sent_by_id=organiser.id, sent_at=written + timedelta(hours=2), emailed=len(action_recipients(event))))
    db.session.flush()
