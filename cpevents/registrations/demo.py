"""Demo Care Leavers' Week (called once from cpevents.demo.seed_demo).

The event is on 28 October at 2pm: this year's if the demo data is loaded on or before that day,
otherwise next year's, so registration is open in the demo. Professionals (40 places) and
councillors (15 places) register; a dozen already have. Twelve care leavers are invited through
the invitation flow and some have replied. No email is sent: rows are written directly, as the
other demo data does. Idempotent: the event is made once, found by its name afterwards.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from cpevents.core.checks import known
from cpevents.core.time import LONDON, utcnow
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event, EventKind
from cpevents.events.services import create_event
from cpevents.extensions import db
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import InvitationStatus, ReplyHow
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus
from cpevents.registrations.services import email_key
from cpevents.young_people.models import CareStatus, YoungPerson

EVENT = "Care Leavers' Week (demo)"
THEME = "Our future, our voice"
DESCRIPTION = ("An afternoon for care leavers, councillors and the professionals who work with them. Care leavers lead conversations about "
               "housing, money and work, there is food, music and a photo wall, and councillors make a pledge about what they will change this year.")
CREDIT = "Planned with the Care Leavers' Forum: Aisha, Ben, Kai and Zara"
PLACES = {"Professionals": 40, "Councillors": 15}
PEOPLE = [
    ("Professionals", "Priya Shah", "Leaving care team", "Personal adviser", "", "Vegetarian"),
    ("Professionals", "Tom Reed", "Hillside Academy", "Designated teacher", "", ""),
    ("Professionals", "Fay Morgan", "Fostering service", "Supervising social worker", "", ""),
    ("Professionals", "Dan Okoro", "Virtual School", "Education adviser", "", "Halal"),
    ("Professionals", "Grace Lee", "Housing options", "Housing officer", "Step-free access", ""),
    ("Professionals", "Sean Murphy", "Youth offending service", "Case manager", "", ""),
    ("Professionals", "Amira Haddad", "Community health", "Nurse for children in care", "", "No gluten"),
    ("Professionals", "Joe Price", "Jobcentre Plus", "Work coach", "", ""),
    ("Councillors", "Cllr Helen Ward", "County Council", "Lead member for children's services", "", ""),
    ("Councillors", "Cllr Raj Patel", "County Council", "County councillor", "Hearing loop", ""),
    ("Councillors", "Cllr Mary Evans", "County Council", "Chair of the Corporate Parenting Board", "", "Vegan"),
    ("Councillors", "Cllr Tony Briggs", "County Council", "County councillor", "", ""),
]
INVITED = 12


def event_day(today: date) -> date:
    """The next 28 October on or after today."""
    day = date(today.year, 10, 28)
    return day if today <= day else date(today.year + 1, 10, 28)


def seed_registrations(organiser) -> dict:
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one_or_none()
    if event is None:
        event = _make(organiser)
    return {"registration_link": absolute_url("registrations.register", public_id=event.public_id)}


def _make(organiser) -> Event:
    rng = random.Random(10)  # noqa: S311 - repeatable demo data, not a secret
    day = event_day(utcnow().astimezone(LONDON).date())
    starts = datetime.combine(day, time(14, 0), tzinfo=LONDON).astimezone(UTC)
    event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name=EVENT, starts_at=starts, venue="The Forum, Market Street", capacity=30,
                         description=DESCRIPTION, min_age=16, max_age=25, by=organiser, theme=THEME, planning_credit=CREDIT)
    audiences = {a.name: a for a in db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id)).scalars()}
    for name, places in PLACES.items():
        audiences[name].capacity = places
    now = utcnow()
    for index, (audience, name, organisation, role, access, dietary) in enumerate(PEOPLE):
        email = name.replace("Cllr ", "").lower().replace(" ", ".") + "@demo.example.org"
        db.session.add(Registration(
            event_id=event.id, audience_id=audiences[audience].id, name=name, organisation=organisation, role=role, email=email, email_key=email_key(email),
            access_needs=access, dietary_needs=dietary, status=RegistrationStatus.CONFIRMED, created_at=now - timedelta(days=12 - index, hours=rng.randint(0, 8)),
        ))
    # Care leavers, invited through the invitation flow (no email: sent_at is set as if it had gone).
    settings = invitation_services.settings_for(event)
    settings.guest_allowance = 1
    settings.reply_by = starts - timedelta(days=14)
    people = db.session.execute(
        select(YoungPerson).where(YoungPerson.created_by_id == organiser.id, YoungPerson.merged_into_id.is_(None), YoungPerson.care_status == CareStatus.CARE_LEAVER)
        .order_by(YoungPerson.id)
    ).scalars().all()
    people = [p for p in people if 16 <= _age(p.date_of_birth, day) <= 25][:INVITED]
    for index, person in enumerate(people):
        invitation = known(invitation_services.invite(event, person, by=organiser), "a new demo event has nobody on its list yet")
        invitation.sent_at = now - timedelta(days=14)
        if index < 6:
            invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, now - timedelta(days=rng.randint(1, 10)), ReplyHow.LINK
        elif index < 8:
            invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.NOT_SURE, now - timedelta(days=rng.randint(1, 10)), ReplyHow.LINK
    db.session.flush()
    return event


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
