"""Taps from phones arriving at the same moment (issue 18): the same tap sent by ten requests at
once is recorded once (the unique tap id, not luck), and ten helpers' offline taps for one young
person, each with its own time, leave one check-in at the earliest time whatever order they land
in (the conditional UPDATE "where none is recorded or a later one is").

PostgreSQL only, on its own app and schema `cpevents_door_taps_race`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import Invitation
from tests.races import postgres_only, race_app, run_together

SCHEMA = "cpevents_door_taps_race"
TAPS = 10

pytestmark = postgres_only("concurrent taps")


def _world():
    from cpevents.accounts.models import User
    from cpevents.core.enums import Role
    from cpevents.door.models import EventDoorHelper
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations.models import InvitationStatus
    from cpevents.invitations.services import invite
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    organiser = User(email="org@example.org", name="Org")
    organiser.set_roles({Role.ORGANISER})
    db.session.add(organiser)
    db.session.flush()
    today = utcnow().astimezone(LONDON).date()
    event = create_event(kind=EventKind.OTHER, name="Race tea", starts_at=datetime.combine(today, time(18), tzinfo=LONDON).astimezone(UTC),
                         venue="Hall", capacity=100, description="", min_age=11, max_age=25, by=organiser)
    invitations = []
    for first in ("Ada", "Bo"):
        person = create_young_person({"first_name": first, "last_name": "Race", "date_of_birth": date(2008, 1, 1), "care_status": CareStatus.IN_CARE},
                                     by=organiser)
        invitation = invite(event, person, by=organiser)
        invitation.status, invitation.replied_at = InvitationStatus.COMING, utcnow() - timedelta(days=3)
        invitations.append(invitation)
    helpers = []
    for i in range(TAPS):
        helper = User(email=f"door{i}@example.org", name=f"Door {i}")
        helper.set_roles({Role.DOOR_HELPER})
        db.session.add(helper)
        db.session.flush()
        db.session.add(EventDoorHelper(event_id=event.id, user_id=helper.id))
        helpers.append(helper.id)
    db.session.commit()
    return event.id, [i.id for i in invitations], [i.public_id for i in invitations], helpers


def _send(app, event_id, helper_id, tap, wait) -> str:
    """What the view does with one tap: record it and commit, or answer "already"."""
    from cpevents.accounts.models import User
    from cpevents.door import taps
    from cpevents.events.models import Event

    with app.test_request_context():
        helper = db.session.get(User, helper_id)
        event = db.session.get(Event, event_id)
        wait()
        try:
            outcome = taps.record_tap(event, tap, by=helper)
        except IntegrityError:
            db.session.rollback()
            return "already"
        db.session.commit()
        return outcome.status


def test_concurrent_taps_record_once_and_keep_the_earliest_time(smtp_sink):
    from cpevents.door.models import DoorTap
    from cpevents.door.taps import Tap

    with race_app(SCHEMA, smtp_sink, pool_size=TAPS, max_overflow=5) as app:
        with app.app_context():
            event_id, (ada_id, bo_id), (ada, bo), helpers = _world()
        now = utcnow().replace(microsecond=0)

        # The same tap, ten times at once.
        same = Tap(id=str(uuid.uuid4()), kind="check_in", target=ada, at=now - timedelta(minutes=3))
        results = run_together(lambda helper_id, wait: _send(app, event_id, helper_id, same, wait), helpers)
        assert sorted(results) == ["already"] * (TAPS - 1) + ["recorded"]

        # Ten helpers' own taps for Bo, each a minute apart, all at once: the earliest time stays.
        times = {helper_id: now - timedelta(minutes=30 - i) for i, helper_id in enumerate(helpers)}
        run_together(lambda helper_id, wait: _send(app, event_id, helper_id, Tap(id=str(uuid.uuid4()), kind="check_in", target=bo,
                                                                                     at=times[helper_id]), wait), helpers)
        with app.app_context():
            assert db.session.execute(select(func.count(DoorTap.id)).where(DoorTap.tap_id == same.id)).scalar_one() == 1
            assert db.session.get(Invitation, ada_id).checked_in_at == same.at
            bo_row = db.session.get(Invitation, bo_id)
            assert bo_row.checked_in_at == min(times.values())
            assert bo_row.checked_in_by_id == min(times, key=times.get)
            assert db.session.execute(select(func.count(DoorTap.id)).where(DoorTap.target == bo)).scalar_one() == TAPS
