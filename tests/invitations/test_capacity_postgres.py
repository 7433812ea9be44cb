"""Fifty young people say yes at the same moment to an event with ten places: exactly ten places
are taken and forty join the waiting list. Row locking (SELECT ... FOR UPDATE on the event) does
it, not luck: every reply starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_invitations_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply, record_reply
from tests.races import postgres_only, race_app, run_together

SCHEMA = "cpevents_invitations_race"

pytestmark = postgres_only("concurrent replies")


def test_fifty_concurrent_yes_replies_fill_ten_places_exactly(smtp_sink):
    with race_app(SCHEMA, smtp_sink, pool_size=10, max_overflow=45) as app:
        with app.app_context():
            from cpevents.core.enums import Role
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.invitations.services import invite, settings_for
            from cpevents.young_people.models import CareStatus
            from cpevents.young_people.services import create_young_person
            from tests.factories import make_user

            organiser = make_user(Role.ORGANISER)
            event = create_event(kind=EventKind.PROUD_AWARDS, name="Race night", starts_at=utcnow() + timedelta(days=30), venue="Hall",
                                 capacity=10, description="", min_age=11, max_age=25, by=organiser)
            settings_for(event)
            ids = []
            for i in range(50):
                person = create_young_person({"first_name": f"P{i}", "last_name": "Race", "date_of_birth": date(2008, 1, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
                ids.append(invite(event, person, by=organiser).id)
            db.session.commit()
            event_id = event.id

        def reply(invitation_id, wait):
            with app.app_context():
                invitation = db.session.get(Invitation, invitation_id)
                wait()
                record_reply(invitation, Reply(attending=InvitationStatus.COMING), by=None, how=ReplyHow.LINK)
                db.session.commit()

        run_together(reply, ids)
        with app.app_context():
            counts = dict(db.session.execute(
                select(Invitation.status, func.count()).where(Invitation.event_id == event_id).group_by(Invitation.status)
            ).all())
        assert counts == {InvitationStatus.COMING: 10, InvitationStatus.WAITING: 40}, counts
