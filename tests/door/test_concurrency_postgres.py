"""Two (here: twenty) door helpers tap the same young person at the same moment: exactly one
check-in is recorded, with one time and one helper, and every other tap is told "already checked
in". The conditional UPDATE (`... WHERE checked_in_at IS NULL`) does it, not luck: every tap starts
together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_door_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import Guest, Invitation
from tests.conftest import postgres_url

SCHEMA = "cpevents_door_race"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))
TAPS = 20

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent check-ins need PostgreSQL (DATABASE_URL=postgresql://...)"),
]


def test_concurrent_check_ins_of_one_young_person_record_exactly_one(smtp_sink):
    from flask_migrate import upgrade

    url = postgres_url(SCHEMA)  # with the worker's and the checkout's suffixes
    schema = url.rsplit("search_path%3D", 1)[1]
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_sink.port,
                                  "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": TAPS, "max_overflow": 5}})
    try:
        with app.app_context():
            upgrade()
            from cpevents.accounts.models import User
            from cpevents.core.enums import Role
            from cpevents.door.models import EventDoorHelper
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.invitations.models import AgeGroup, InvitationStatus
            from cpevents.invitations.services import invite
            from cpevents.young_people.models import CareStatus
            from cpevents.young_people.services import create_young_person
            from datetime import date

            organiser = User(email="org@example.org", name="Org")
            organiser.set_roles({Role.ORGANISER})
            db.session.add(organiser)
            db.session.flush()
            today = utcnow().astimezone(LONDON).date()
            event = create_event(kind=EventKind.OTHER, name="Race tea", starts_at=datetime.combine(today, time(18), tzinfo=LONDON).astimezone(timezone.utc),
                                 venue="Hall", capacity=100, description="", min_age=11, max_age=25, by=organiser)
            person = create_young_person({"first_name": "Ada", "last_name": "Race", "date_of_birth": date(2008, 1, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
            invitation = invite(event, person, by=organiser)
            invitation.status, invitation.replied_at = InvitationStatus.COMING, utcnow() - timedelta(days=3)
            invitation.guests.append(Guest(name="Guest one", age_group=AgeGroup.ADULT, position=1))
            invitation.guests.append(Guest(name="Guest two", age_group=AgeGroup.CHILD, position=2))
            helper_ids = []
            for i in range(TAPS):
                helper = User(email=f"door{i}@example.org", name=f"Door {i}")
                helper.set_roles({Role.DOOR_HELPER})
                db.session.add(helper)
                db.session.flush()
                db.session.add(EventDoorHelper(event_id=event.id, user_id=helper.id))
                helper_ids.append(helper.id)
            db.session.commit()
            invitation_id = invitation.id

        barrier = threading.Barrier(TAPS)
        errors, results = [], []

        def tap(helper_id):
            try:
                with app.test_request_context():
                    from cpevents.door.services import check_in

                    helper = db.session.get(User, helper_id)
                    inv = db.session.get(Invitation, invitation_id)
                    _ = inv.guests, inv.young_person, inv.event
                    barrier.wait(timeout=60)
                    result = check_in(inv, by=helper)
                    db.session.commit()
                    results.append(result)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))

        threads = [threading.Thread(target=tap, args=(h,)) for h in helper_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        assert not errors, errors[:3]
        winners = [r for r in results if r.changed]
        assert len(winners) == 1, [r.message() for r in results]
        assert winners[0].checked_in == ["Ada R", "Guest one", "Guest two"]
        assert all(r.message().startswith("Already checked in at") for r in results if not r.changed)
        with app.app_context():
            row = db.session.get(Invitation, invitation_id)
            assert row.checked_in_at is not None and row.checked_in_by_id in helper_ids
            guests = db.session.execute(select(Guest).where(Guest.invitation_id == invitation_id)).scalars().all()
            assert {g.checked_in_by_id for g in guests} == {row.checked_in_by_id}
            from cpevents.audit.models import AuditEntry

            entries = db.session.execute(select(func.count(AuditEntry.id)).where(AuditEntry.subject_type == "invitations", AuditEntry.subject_id == invitation_id,
                                                                                 AuditEntry.detail == "Checked in at the door")).scalar_one()
            assert entries == 1
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
