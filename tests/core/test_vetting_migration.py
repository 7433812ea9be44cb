"""Migration 0017 on a database that already has people and worker links: existing accounts stay
usable (approved), links an organiser made run 12 months from when they were made, and links
made as a side effect of a nomination (no "worker_linked" audit entry) are ended."""

import os
import tempfile

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from cpevents import create_app
from cpevents.config import TestConfig


def test_existing_accounts_are_approved_and_nomination_links_end():
    path = os.path.join(tempfile.mkdtemp(prefix="cpevents-migration-"), "m.sqlite3")
    url = f"sqlite:///{path}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0016_registrations")
    engine = create_engine(url)
    with engine.begin() as conn:
        stamp = "2026-03-01 10:00:00.000000"
        for n in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO users (id, public_id, email, name, organisation, job_title, wants_champion, is_demo, created_at, updated_at)"
                    " VALUES (:id, :pid, :email, 'Worker', '', '', 0, 0, :at, :at)"
                ),
                {"id": n, "pid": f"00000000-0000-0000-0000-00000000000{n}", "email": f"w{n}@example.org", "at": stamp},
            )
        conn.execute(
            text(
                "INSERT INTO young_people (id, public_id, first_name, last_name, preferred_name, date_of_birth, care_status, district, email,"
                " name_shown, do_not_publish, contact_restriction, contact_restriction_note, match_key, created_at, updated_at)"
                " VALUES (1, 'aaaaaaaa-0000-0000-0000-000000000001', 'Amara', 'Okafor', '', '2009-01-02', 'in_care', '', '', 'first_name',"
                " 0, 0, '', 'amaraokafor', :at, :at)"
            ),
            {"at": stamp},
        )
        for n in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO young_person_workers (id, public_id, young_person_id, user_id, relationship_type, linked_at)"
                    " VALUES (:id, :pid, 1, :user, 'social_worker', :at)"
                ),
                {"id": n, "pid": f"bbbbbbbb-0000-0000-0000-00000000000{n}", "user": n, "at": stamp},
            )
        # Only worker 1 was linked by an organiser (the audit trail says so).
        conn.execute(
            text(
                "INSERT INTO audit_entries (at, actor_id, action, subject_type, subject_id, young_person_id, detail)"
                " VALUES (:at, 2, 'worker_linked', 'YoungPerson', 1, 1, 'user 1')"
            ),
            {"at": stamp},
        )
    with app.app_context():
        upgrade()
    with engine.connect() as conn:
        approved = conn.execute(text("SELECT COUNT(*) FROM users WHERE approved_at IS NOT NULL")).scalar_one()
        links = dict(conn.execute(text("SELECT user_id, ended_at FROM young_person_workers")).all())
        expires = conn.execute(text("SELECT expires_at FROM young_person_workers WHERE user_id = 1")).scalar_one()
    engine.dispose()
    assert approved == 2
    assert links[1] is None, "the organiser's link stays"
    assert links[2] is not None, "the link made by a nomination is ended"
    assert str(expires).startswith("2027-03-01")
