"""The daily reminders over more invitations than one batch (issue 19): each one reminded once,
letters for those without email, nothing for those who replied, whatever the batch size."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations import services
from cpevents.invitations.models import InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply
from cpevents.mail.models import OutboxMessage
from tests.invitations.helpers import invited, make_event


def _reminders() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.subject == services.SUBJECT_REMINDER))


def test_reminders_in_batches_reach_everyone_once(app, monkeypatch):
    monkeypatch.setattr(services, "REMIND_BATCH", 2)
    event, organiser = make_event(reply_in_days=6)
    waiting = [invited(event, organiser) for _ in range(5)]
    replied = invited(event, organiser)
    services.send_invitations(event, by=organiser)
    services.record_reply(replied, Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER)
    db.session.commit()
    before = _reminders()
    runner = app.test_cli_runner()
    assert "Reminders queued: 5." in runner.invoke(args=["invitations", "remind"]).output
    assert _reminders() - before == 5
    db.session.expire_all()
    assert all(i.reminded_7_at is not None and i.reminded_2_at is None for i in waiting)
    assert replied.reminded_7_at is None
    assert "Reminders queued: 0." in runner.invoke(args=["invitations", "remind"]).output

    # Two days before: the second reminder, once each, across the batches again.
    services.settings_for(event).reply_by = utcnow() + timedelta(days=1, hours=12)
    db.session.commit()
    assert "Reminders queued: 5." in runner.invoke(args=["invitations", "remind"]).output
    assert "Reminders queued: 0." in runner.invoke(args=["invitations", "remind"]).output
    assert _reminders() - before == 10
