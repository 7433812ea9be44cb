"""Anonymising an account (retention purge and erasure share it): no personal detail left, no way in."""

from sqlalchemy import select

from cpevents.accounts import services
from cpevents.accounts.models import AccountToken, User
from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import PASSWORD, make_user, sign_in


def test_an_anonymised_account_keeps_its_row_but_nothing_personal_and_cannot_sign_in(app):
    user = make_user(Role.NOMINATOR, name="Quentin Marchbanks", email="quentin.marchbanks@example.net")
    user.organisation, user.job_title = "Marchbanks Fostering", "Supervising social worker"
    client = app.test_client()
    sign_in(client, user)
    services.request_password_reset("quentin.marchbanks@example.net")
    db.session.commit()
    user_id = user.id

    services.anonymise_account(user)
    db.session.commit()

    row = db.session.get(User, user_id)
    assert services.is_anonymised(row)
    assert row.name == "Former user" and row.organisation == "" and row.job_title == ""
    assert "marchbanks" not in row.email.lower()
    assert row.password_hash is None and row.roles == set() and row.deactivated_at is not None
    assert db.session.scalars(select(AccountToken).where(AccountToken.user_id == user_id)).all() == []
    assert client.get("/account").status_code in (302, 401, 403)
    assert services.check_password("quentin.marchbanks@example.net", PASSWORD) is None

    services.anonymise_account(row)  # twice is the same as once
    db.session.commit()
    assert services.is_anonymised(db.session.get(User, user_id))


def test_the_audit_trail_can_record_purges_erasures_and_downloads(app):
    organiser = make_user(Role.ORGANISER)
    for action in (AuditAction.PURGED, AuditAction.ERASED, AuditAction.EXPORTED):
        record(organiser, action, organiser, detail="test")
    db.session.commit()
