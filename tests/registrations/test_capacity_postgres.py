"""Thirty people register at the same moment for an audience with ten places: exactly ten get a
place and twenty join the waiting list. Row locking (SELECT ... FOR UPDATE on the audience) does
it, not luck: every registration starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_registrations_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.registrations.models import EventAudience, Registration, RegistrationStatus
from cpevents.registrations.services import Details, register
from tests.conftest import postgres_url

SCHEMA = "cpevents_registrations_race"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))
PEOPLE, PLACES = 30, 10

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent registrations need PostgreSQL (DATABASE_URL=postgresql://...)"),
]


def test_thirty_concurrent_registrations_fill_ten_places_exactly(smtp_sink):
    from flask_migrate import upgrade

    url = postgres_url(SCHEMA)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_sink.port, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 25}})
    try:
        with app.app_context():
            upgrade()
            from cpevents.core.enums import Role
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from tests.conftest import make_user

            organiser = make_user(Role.ORGANISER)
            event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name="Race afternoon", starts_at=utcnow() + timedelta(days=30), venue="Hall",
                                 capacity=None, description="", min_age=16, max_age=25, by=organiser)
            audience = db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id, EventAudience.name == "Professionals")).scalar_one()
            audience.capacity = PLACES
            db.session.commit()
            event_id, audience_id = event.id, audience.id

        barrier = threading.Barrier(PEOPLE)
        errors = []

        def sign_up(n):
            try:
                with app.test_request_context():
                    from cpevents.events.models import Event

                    event = db.session.get(Event, event_id)
                    audience = db.session.get(EventAudience, audience_id)
                    barrier.wait(timeout=60)
                    register(event, audience, Details(name=f"Person {n}", email=f"race{n}@example.org"))
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))

        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(PEOPLE)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        assert not errors, errors[:3]
        with app.app_context():
            counts = dict(db.session.execute(
                select(Registration.status, func.count()).where(Registration.audience_id == audience_id).group_by(Registration.status)
            ).all())
        assert counts == {RegistrationStatus.CONFIRMED: PLACES, RegistrationStatus.WAITING: PEOPLE - PLACES}, counts
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
