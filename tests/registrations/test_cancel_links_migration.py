"""Migration 0019 moves each registration's cancel link hash into registration_cancel_links, so a
link already emailed keeps working after the upgrade; going back down keeps the newest link.

On SQLite, dropping the old column rebuilds the registrations table, and with foreign keys on that
would delete by CASCADE any link rows already copied: the migration copies them afterwards. Runs on
its own database (a SQLite file, or its own PostgreSQL schema), never the one other tests use.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.extensions import db
from tests.support import postgres_url, sqlite_url

HASH_EMAILED = "a" * 64
HASH_NEWER = "b" * 64


@pytest.mark.no_db_isolation
def test_cancel_links_already_emailed_survive_the_upgrade_and_the_newest_survives_a_downgrade():
    from flask_migrate import downgrade, upgrade

    url = postgres_url("cpevents_cancel_links_migration") or sqlite_url("cancel-links.sqlite3")
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.test_request_context():
            upgrade()
            from cpevents.core.time import utcnow
            from cpevents.events.models import EventKind
            from cpevents.events.services import create_event
            from cpevents.registrations.models import EventAudience
            from cpevents.registrations.services import Details, register

            event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name="Care Leavers' Week", starts_at=utcnow() + timedelta(days=9), venue="",
                                 capacity=None, description="", min_age=16, max_age=25, by=None)
            audience = db.session.execute(db.select(EventAudience).where(EventAudience.event_id == event.id)).scalars().first()
            registration_id = register(event, audience, Details(name="Pat", email="pat@example.org")).registration.id
            db.session.commit()
            db.session.remove()

            downgrade(revision="0016_registrations")
            with db.engine.begin() as conn:  # as a link emailed before the upgrade
                conn.execute(text("UPDATE registrations SET cancel_token_hash = :h WHERE id = :id"), {"h": HASH_EMAILED, "id": registration_id})
            upgrade()
            with db.engine.begin() as conn:
                links = conn.execute(text("SELECT registration_id, token_hash FROM registration_cancel_links")).all()
                assert [tuple(row) for row in links] == [(registration_id, HASH_EMAILED)]
                conn.execute(text("INSERT INTO registration_cancel_links (registration_id, token_hash, created_at) VALUES (:id, :h, :at)"),
                             {"id": registration_id, "h": HASH_NEWER, "at": utcnow() + timedelta(minutes=1)})

            downgrade(revision="0016_registrations")
            with db.engine.begin() as conn:
                assert conn.execute(text("SELECT cancel_token_hash FROM registrations WHERE id = :id"), {"id": registration_id}).scalar_one() == HASH_NEWER
            upgrade()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if url.startswith("postgresql"):
            schema = url.rsplit("search_path%3D", 1)[1]
            engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
