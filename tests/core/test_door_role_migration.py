"""Migration 0011 widened the role column's CHECK constraint: the new role can be stored, a made-up one cannot."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import make_user


def test_door_helper_role_can_be_stored(app):
    user = make_user(Role.DOOR_HELPER)
    db.session.flush()
    assert db.session.execute(text("SELECT role FROM user_roles WHERE user_id = :id"), {"id": user.id}).scalar_one() == "door_helper"


def test_role_column_still_refuses_unknown_roles(app):
    user = make_user(Role.NOMINATOR)
    db.session.flush()
    with pytest.raises((IntegrityError, StatementError)), db.session.begin_nested():
        db.session.execute(text("INSERT INTO user_roles (user_id, role) VALUES (:id, 'superuser')"), {"id": user.id})


def test_closed_event_is_closed(app):
    from datetime import timedelta

    from cpevents.core.time import utcnow
    from cpevents.events.models import Event, EventKind

    event = Event(kind=EventKind.OTHER, name="Summer picnic", starts_at=utcnow() + timedelta(days=3))
    assert not event.is_closed
    event.closed_at = utcnow()
    assert event.is_closed
