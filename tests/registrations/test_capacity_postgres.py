"""Thirty people register at the same moment for an audience with ten places: exactly ten get a
place and twenty join the waiting list. Row locking (SELECT ... FOR UPDATE on the audience) does
it, not luck: every registration starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_registrations_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus
from cpevents.registrations.services import Details, register
from tests.races import postgres_only, race_app, run_together

SCHEMA = "cpevents_registrations_race"
PEOPLE, PLACES = 30, 10

pytestmark = postgres_only("concurrent registrations")


def test_thirty_concurrent_registrations_fill_ten_places_exactly(smtp_sink):
    with race_app(SCHEMA, smtp_sink, pool_size=10, max_overflow=25) as app:
        with app.app_context():
            from cpevents.core.enums import Role
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from tests.factories import make_user

            organiser = make_user(Role.ORGANISER)
            event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name="Race afternoon", starts_at=utcnow() + timedelta(days=30), venue="Hall",
                                 capacity=None, description="", min_age=16, max_age=25, by=organiser)
            audience = db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id, EventAudience.name == "Professionals")).scalar_one()
            audience.capacity = PLACES
            db.session.commit()
            event_id, audience_id = event.id, audience.id

        def sign_up(n, wait):
            with app.test_request_context():
                from cpevents.events.models import Event

                event = db.session.get(Event, event_id)
                audience = db.session.get(EventAudience, audience_id)
                wait()
                register(event, audience, Details(name=f"Person {n}", email=f"race{n}@example.org"))
                db.session.commit()

        run_together(sign_up, range(PEOPLE))
        with app.app_context():
            counts = dict(db.session.execute(
                select(Registration.status, func.count()).where(Registration.audience_id == audience_id).group_by(Registration.status)
            ).all())
        assert counts == {RegistrationStatus.CONFIRMED: PLACES, RegistrationStatus.WAITING: PEOPLE - PLACES}, counts
