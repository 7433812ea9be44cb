"""Demo winners page (issue 16), for `flask seed-demo`: last autumn's PROUD Awards (five weeks
ago, so its invitation details are not yet due for the retention purge), results published and
its winners page published. Three winners: two said yes to the council website (one with words
of their own) and are shown; one did not and is hidden, with the reason on the organisers' page.
A fourth young person was shortlisted but did not win, and said yes too: never shown.
Idempotent: made once. No email is sent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from cpevents.accounts.models import existing_user
from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations.consents import set_consents
from cpevents.invitations.models import (
    ConsentHow,
    ConsentKind,
    InvitationStatus,
    NameRead,
    ReplyHow,
)
from cpevents.invitations.services import invite
from cpevents.judging.models import DecisionKind, JudgingDecision
from cpevents.judging.services import create_panel
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
from cpevents.nominations.review import match_nomination
from cpevents.nominees.models import NomineeNotice, NoticeState
from cpevents.public.winners import publish_winners_page
from cpevents.young_people.models import WorkerRelationship, YoungPerson

EVENT = "PROUD Awards autumn celebration (demo)"
# (category position, winner?, council website yes?, their own words)
PEOPLE = [
    (0, True, True, "I never thought I would go to college. Thank you to my carers for believing in me."),
    (3, True, True, ""),
    (1, True, False, ""),  # a winner who did not say yes: hidden from the public page
    (2, False, True, ""),  # shortlisted, not a winner: never on the page
]


def seed_winners_page(organiser) -> dict:
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        event = make_past_awards(organiser, EVENT)
    return {"winners_page": f"/winners/{event.public_id}"}


def make_past_awards(organiser, name: str) -> Event:
    """A PROUD Awards held five weeks ago with PEOPLE's decisions and consents, its winners page published."""
    day = (utcnow() - timedelta(days=35)).astimezone(LONDON).date()
    starts = datetime.combine(day, time(18, 30), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.PROUD_AWARDS, name=name, starts_at=starts, venue="County Hall, council chamber", capacity=150,
                         description="An evening celebrating the achievements of children in care and care leavers.",
                         min_age=11, max_age=25, by=organiser)
    nominator = existing_user("nominator@demo.example.org")
    people = [p for p in db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None),
                                  YoungPerson.do_not_publish.is_(False), YoungPerson.contact_restriction.is_(False))
        .order_by(YoungPerson.id)
    ).scalars() if not p.is_erased and 13 <= p.age_on(day) <= 25][:len(PEOPLE)]
    panel = create_panel(event, by=organiser)
    for person, (category, winner, website, words) in zip(people, PEOPLE, strict=False):
        nomination = Nomination(
            event_id=event.id, nominator_id=nominator.id, category_id=event.categories[category].id, status=NominationStatus.SENT,
            first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth, care_status=person.care_status,
            district=person.district, relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
            achievement=f"{person.first_name} has worked hard all year and never gave up (demo).", young_person_knows=YesNo.YES,
            public_concern=YesNo.NO, submitted_at=starts - timedelta(days=120),
        )
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser)
        file.status, file.category_id = FileStatus.ACCEPTED, event.categories[category].id
        db.session.add(NomineeNotice(file_id=file.id, state=NoticeState.TOLD, accepted_at=starts - timedelta(days=90),
                                     told_at=starts - timedelta(days=90), own_words=words))
        decided = starts - timedelta(days=30)
        db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=DecisionKind.SHORTLIST, chosen=True,
                                       reason="High in the ranking; panel agreed (demo)", by_id=organiser.id, at=decided))
        db.session.add(JudgingDecision(panel_id=panel.id, file_id=file.id, kind=DecisionKind.WINNER, chosen=winner,
                                       reason="Panel's choice (demo)", by_id=organiser.id, at=decided + timedelta(days=7)))
        invitation = known(invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.status, invitation.sent_at = InvitationStatus.COMING, starts - timedelta(days=28)
        invitation.replied_at, invitation.replied_how = starts - timedelta(days=20), ReplyHow.LINK
        invitation.checked_in_at = starts + timedelta(minutes=10)
        set_consents(invitation, {ConsentKind.NAME_READ: NameRead.FIRST_NAME, ConsentKind.PHOTOS: website,
                                  ConsentKind.USE_WEBSITE: website}, how=ConsentHow.LINK)
    panel.shortlist_released_at = starts - timedelta(days=21)
    panel.results_published_at = starts + timedelta(hours=2)
    db.session.flush()
    publish_winners_page(event, by=organiser)
    db.session.flush()
    return event
