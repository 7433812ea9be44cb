"""Demo data for the organiser's to-do: what the other domains' demos leave empty, so that after
`flask seed-demo` every line of the to-do has something in it. Run last; safe to run again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.events.models import Event, EventKind
from cpevents.extensions import db

PROUD = "PROUD Awards (demo)"
LUNCH = "Winter lunch (demo)"
WAITING = "(demo: waiting to be matched)"


def seed_todo(organiser, nominator) -> dict:
    _nominations_to_match(nominator)
    _late_replies(organiser)
    return {}


def _nominations_to_match(nominator) -> int:
    """Two sent nominations nobody has matched yet: one whose name is spelt differently from the
    young person's record (a likely match), one for someone with no record."""
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.young_people.models import CareStatus, WorkerRelationship, YoungPerson

    event = db.session.execute(select(Event).where(Event.name == PROUD)).scalar_one_or_none()
    if event is None or not event.categories:
        return 0
    marked = select(func.count()).select_from(Nomination).where(Nomination.event_id == event.id, Nomination.achievement.contains(WAITING))
    if db.session.execute(marked).scalar_one():
        return 0
    # A record the nominations demo left alone (it nominates the first 90), its first name mistyped.
    record = db.session.execute(
        select(YoungPerson).where(YoungPerson.merged_into_id.is_(None), YoungPerson.created_by_id == event.created_by_id)
        .order_by(YoungPerson.id).offset(92)
    ).scalars().first()
    people = [("Jordon" if record is None else record.first_name + record.first_name[-1], "Whitlock" if record is None else record.last_name,
               date(2009, 5, 1) if record is None else record.date_of_birth, CareStatus.IN_CARE if record is None else record.care_status),
              ("Remi", "Okonjo-Hart", date(2008, 11, 23), CareStatus.CARE_LEAVER)]
    now = utcnow()
    for first, last, born, status in people:
        db.session.add(Nomination(
            event_id=event.id, nominator_id=nominator.id, category_id=event.categories[0].id, first_name=first, last_name=last, date_of_birth=born,
            care_status=status, district="", relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
            achievement=f"{first} has kept going to college through a hard year and helps younger students with their reading. {WAITING}",
            background="", young_person_knows=YesNo.YES, public_concern=YesNo.NO, status=NominationStatus.SENT, submitted_at=now - timedelta(days=2),
        ))
    db.session.flush()
    return len(people)


def _late_replies(organiser) -> int:
    """A small lunch in ten days whose reply-by date has passed, with young people who have not
    replied: someone for the organiser to chase."""
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.invitations.models import Invitation, InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus, YoungPerson

    if db.session.execute(select(Event.id).where(Event.name == LUNCH)).first():
        return 0
    today = utcnow().astimezone(LONDON).date()
    starts = datetime.combine(today + timedelta(days=10), time(12, 30), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.OTHER, name=LUNCH, starts_at=starts, venue="The Old School House, Church Lane", capacity=20,
                         description="A warm lunch before the holidays for young people leaving care, with the leaving care team.",
                         min_age=16, max_age=25, by=organiser)
    settings = services.settings_for(event)
    settings.guest_allowance = 1
    settings.reply_by = datetime.combine(today - timedelta(days=2), time(0, 0), tzinfo=LONDON).astimezone(UTC)  # end of 3 days ago
    invited_elsewhere = select(Invitation.young_person_id)
    people = db.session.execute(
        select(YoungPerson)
        .where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None), YoungPerson.care_status == CareStatus.CARE_LEAVER,
               YoungPerson.id.not_in(invited_elsewhere))
        .order_by(YoungPerson.id.desc()).limit(5)
    ).scalars().all()
    now = utcnow()
    late = 0
    for index, person in enumerate(people):
        invitation = known(services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.sent_at = now - timedelta(days=20)
        if index == 0:
            invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, now - timedelta(days=6), ReplyHow.LINK
        else:
            late += 1
    db.session.flush()
    return late
