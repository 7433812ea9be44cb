"""Demo data for the door (called from cpevents.demo.seed_demo): a small "Celebration tea (demo)"
today at 6pm UK time, eight young people coming with guests and a spread of markers (one with a
door note, one with a contact restriction and do-not-publish), and the demo door helper given the
event, so the door list works at once.

Idempotent. The event is moved to today on every run (the door list opens only on the day);
when it moves, the check-ins and guests added at the door on the earlier day are cleared.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, select, update

from cpevents.accounts.models import user_by_email
from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.door.models import DoorTap, EventDoorHelper
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import (
    AgeGroup,
    Guest,
    GuestApproval,
    Invitation,
    InvitationStatus,
    NameRead,
    ReplyHow,
)
from cpevents.registrations.models import (
    AudienceKind,
    EventAudience,
    Registration,
    RegistrationStatus,
)
from cpevents.young_people.models import YoungPerson

EVENT = "Celebration tea (demo)"
DOOR_HELPER = "door@demo.example.org"
# (guests, photos allowed, name read out, access codes, door note) for the seven unrestricted young people.
PLAN = [
    ([("Mum", AgeGroup.ADULT), ("Tom (brother)", AgeGroup.CHILD)], True, NameRead.FULL_NAME, "", ""),
    ([("Jo (foster carer)", AgeGroup.ADULT)], False, NameRead.FIRST_NAME, "wheelchair", "Bringing a birthday card for the mayor"),
    ([("Nan", AgeGroup.ADULT), ("Grandad", AgeGroup.ADULT)], True, NameRead.FIRST_NAME, "", ""),
    ([("Sam (carer)", AgeGroup.ADULT)], True, NameRead.NO_NAME, "quiet_space", ""),
    ([], False, NameRead.FIRST_NAME, "", ""),
    ([("Leah (friend)", AgeGroup.CHILD), ("Aunt Sue", AgeGroup.ADULT)], True, NameRead.FULL_NAME, "hearing_loop,near_exit", ""),
    ([("Chris (key worker)", AgeGroup.ADULT)], True, NameRead.FIRST_NAME, "", ""),
]


def _today_at_six() -> datetime:
    today = utcnow().astimezone(LONDON).date()
    return datetime.combine(today, time(18, 0), tzinfo=LONDON).astimezone(UTC)


def seed_door(organiser) -> dict:
    starts = _today_at_six()
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        event = _make(organiser, starts)
    elif event.starts_at != starts:
        _move_to_today(event, starts)
    _councillors(event)
    helper = user_by_email(DOOR_HELPER)
    if helper is not None and not db.session.execute(
        select(EventDoorHelper.id).where(EventDoorHelper.event_id == event.id, EventDoorHelper.user_id == helper.id)
    ).first():
        db.session.add(EventDoorHelper(event_id=event.id, user_id=helper.id, added_by_id=organiser.id, added_at=utcnow()))
    db.session.flush()
    return {"door_event": event.public_id}


def _move_to_today(event: Event, starts: datetime) -> None:
    event.starts_at, event.closed_at, event.closed_by_id = starts, None, None
    ids = select(Invitation.id).where(Invitation.event_id == event.id)
    db.session.execute(delete(Guest).where(Guest.invitation_id.in_(ids), Guest.added_at_door.is_(True)).execution_options(synchronize_session=False))
    db.session.execute(delete(DoorTap).where(DoorTap.event_id == event.id).execution_options(synchronize_session=False))
    db.session.execute(update(Guest).where(Guest.invitation_id.in_(ids)).values(checked_in_at=None, checked_in_by_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(Invitation).where(Invitation.event_id == event.id).values(checked_in_at=None, checked_in_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Registration).where(Registration.event_id == event.id).values(checked_in_at=None, checked_in_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def _make(organiser, starts: datetime) -> Event:
    event = create_event(kind=EventKind.OTHER, name=EVENT, starts_at=starts, venue="Civic Centre, Room 2", capacity=40,
                         description="Tea and cake for young people who started college or a job this term, with their families.",
                         min_age=11, max_age=25, by=organiser)
    invitation_services.settings_for(event)
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None)).order_by(YoungPerson.id)
    ).scalars().all()
    plain = [p for p in people if not (p.contact_restriction or p.do_not_publish)][: len(PLAN)]
    restricted = next((p for p in people if p.contact_restriction and p.do_not_publish), None) or next((p for p in people if p.contact_restriction), None)
    replied = starts - timedelta(days=12)
    for person, (guests, photos, name_read, access, note) in zip(plain, PLAN, strict=False):
        invitation = known(invitation_services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, replied, ReplyHow.LINK
        invitation.photo_consent, invitation.name_read, invitation.access, invitation.door_note = photos, name_read, access, note
        invitation.photos_ok = photos
        for position, (name, age) in enumerate(guests, start=1):
            invitation.guests.append(Guest(name=name, age_group=age, position=position, photo_consent=photos and age == AgeGroup.ADULT))
    if restricted is not None:
        invitation = known(invitation_services.invite(event, restricted, by=organiser), "a new demo event has nobody on its list yet")
        invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, replied, ReplyHow.WORKER
        invitation.check_identity = True
        invitation.guests.append(Guest(name="Jo (foster carer)", age_group=AgeGroup.ADULT, position=1, approval=GuestApproval.CONFIRMED,
                                       decided_by_id=organiser.id, decided_at=replied))
    db.session.flush()
    return event


# Two councillors who registered to come (written directly: the demo sends no email), so the door
# list shows people who registered beside the young people.
COUNCILLORS = [("Cllr Priya Shah", "Chair, Corporate Parenting Panel", "Step-free route"), ("Cllr Mark Ellis", "Cabinet member for children", "")]


def _councillors(event: Event) -> None:
    if db.session.execute(select(EventAudience.id).where(EventAudience.event_id == event.id)).first():
        return
    audience = EventAudience(event_id=event.id, name="Councillors", kind=AudienceKind.COUNCILLORS, capacity=10, position=1, registration_open=True)
    db.session.add(audience)
    db.session.flush()
    for name, role, access in COUNCILLORS:
        email = name.split()[-1].lower() + ".tea@demo.example.org"
        db.session.add(Registration(event_id=event.id, audience_id=audience.id, name=name, organisation="County Council", role=role,
                                    email=email, email_key=email, access_needs=access, status=RegistrationStatus.CONFIRMED,
                                    created_at=event.starts_at - timedelta(days=10)))
