"""Factories for door tests: an event today (UK time) with young people coming and their guests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from cpevents.core.enums import Role
from cpevents.core.time import LONDON, utcnow
from cpevents.door.models import EventDoorHelper
from cpevents.events.models import EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import AgeGroup, Guest, GuestApproval, InvitationStatus, ReplyHow
from tests.factories import make_user
from tests.invitations.helpers import make_person

_n = iter(range(1, 10_000_000))


def day_at_six(days_from_today: int = 0) -> datetime:
    day = utcnow().astimezone(LONDON).date() + timedelta(days=days_from_today)
    return datetime.combine(day, time(18, 0), tzinfo=LONDON).astimezone(UTC)


def door_event(days_from_today: int = 0, organiser=None):
    organiser = organiser or make_user(Role.ORGANISER, totp=True)
    event = create_event(kind=EventKind.OTHER, name=f"Celebration tea {next(_n)}", starts_at=day_at_six(days_from_today), venue="Town Hall",
                         capacity=200, description="", min_age=11, max_age=25, by=organiser)
    invitation_services.settings_for(event)
    db.session.commit()
    return event, organiser


def coming(event, organiser, guests=(("Sam Carer", AgeGroup.ADULT), ("Lily", AgeGroup.CHILD)), status=InvitationStatus.COMING,
           approval=GuestApproval.CONFIRMED, **person_fields):
    """An invitation with a reply, written directly (the reply date has passed on the day)."""
    person = make_person(organiser, **person_fields)
    invitation = invitation_services.invite(event, person, by=organiser)
    invitation.status, invitation.replied_at, invitation.replied_how = status, utcnow() - timedelta(days=10), ReplyHow.LINK
    for position, (name, age) in enumerate(guests, start=1):
        invitation.guests.append(Guest(name=name, age_group=age, position=position, approval=approval))
    db.session.commit()
    return invitation


def door_helper(event=None, **fields):
    user = make_user(Role.DOOR_HELPER, **fields)
    if event is not None:
        db.session.add(EventDoorHelper(event_id=event.id, user_id=user.id))
        db.session.commit()
    return user
