"""Fifty young people say yes at the same moment to an event with ten places: exactly ten places
are taken and forty join the waiting list. Row locking (SELECT ... FOR UPDATE on the event) does
it, not luck: every reply starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_invitations_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import Invitation, InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply, record_reply
from tests.conftest import postgres_url

SCHEMA = "cpevents_invitations_race"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent replies need PostgreSQL (DATABASE_URL=postgresql://...)"),
]


def test_fifty_concurrent_yes_replies_fill_ten_places_exactly(smtp_sink):
    from flask_migrate import upgrade

    url = postgres_url(SCHEMA)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_sink.port, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 45}})
    try:
        with app.app_context():
            upgrade()
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.invitations.services import invite, settings_for
            from cpevents.young_people.models import CareStatus
            from cpevents.young_people.services import create_young_person
            from tests.conftest import make_user
            from cpevents.core.enums import Role

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

        barrier = threading.Barrier(50)
        errors = []

        def reply(invitation_id):
            try:
                with app.app_context():
                    invitation = db.session.get(Invitation, invitation_id)
                    barrier.wait(timeout=60)
                    record_reply(invitation, Reply(attending=InvitationStatus.COMING), by=None, how=ReplyHow.LINK)
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))

        threads = [threading.Thread(target=reply, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        assert not errors, errors[:3]
        with app.app_context():
            counts = dict(db.session.execute(
                select(Invitation.status, func.count()).where(Invitation.event_id == event_id).group_by(Invitation.status)
            ).all())
        assert counts == {InvitationStatus.COMING: 10, InvitationStatus.WAITING: 40}, counts
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
