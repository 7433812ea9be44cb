"""Two (here: twenty) door helpers tap the same young person at the same moment: exactly one
check-in is recorded, with one time and one helper, and every other tap is told "already checked
in". The conditional UPDATE (`... WHERE checked_in_at IS NULL`) does it, not luck: every tap starts
together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_door_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from cpevents.core.time import LONDON, utcnow
from cpevents.extensions import db
from cpevents.invitations.models import Guest, Invitation
from tests.races import postgres_only, race_app, run_together

SCHEMA = "cpevents_door_race"
TAPS = 20

pytestmark = postgres_only("concurrent check-ins")


def test_concurrent_check_ins_of_one_young_person_record_exactly_one(smtp_sink):
    with race_app(SCHEMA, smtp_sink, pool_size=TAPS, max_overflow=5) as app:
        with app.app_context():
            from datetime import date

            from cpevents.accounts.models import User
            from cpevents.core.enums import Role
            from cpevents.door.models import EventDoorHelper
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.invitations.models import AgeGroup, InvitationStatus
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

        def tap(helper_id, wait):
            with app.test_request_context():
                from cpevents.door.services import check_in

                helper = db.session.get(User, helper_id)
                inv = db.session.get(Invitation, invitation_id)
                _ = inv.guests, inv.young_person, inv.event
                wait()
                result = check_in(inv, by=helper)
                db.session.commit()
                return result

        results = run_together(tap, helper_ids)
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
