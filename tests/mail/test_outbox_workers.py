"""Several workers at once on PostgreSQL: every message is sent, none twice."""

import os
import threading
from collections import Counter

import pytest
from sqlalchemy import delete, select

from cpevents.extensions import db
from cpevents.mail.models import MessageStatus, OutboxMessage
from cpevents.mail.services import queue_email, work_once
from tests.support import SmtpSink

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="several workers need PostgreSQL (SQLite runs one worker)"),
]


def test_four_workers_send_each_message_exactly_once(app, monkeypatch):
    sink = SmtpSink()
    sink.start()
    monkeypatch.setattr(app.extensions["mail"], "port", sink.port)
    try:
        with app.test_request_context():
            ids = [queue_email("accounts/password_changed", to=f"w{i}@example.org", subject="Test", name="x").public_id for i in range(200)]
            db.session.commit()
        errors = []

        def worker():
            try:
                with app.app_context():
                    work_once()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        delivered = Counter(m["message"]["X-Cpevents-Message"] for m in sink.messages)
        assert set(delivered) == set(ids)
        assert max(delivered.values()) == 1, [k for k, v in delivered.items() if v > 1]
        with app.app_context():
            statuses = db.session.execute(select(OutboxMessage.status).where(OutboxMessage.public_id.in_(ids))).scalars().all()
            assert set(statuses) == {MessageStatus.SENT}
    finally:
        sink.stop()
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like("w%@example.org")))
            db.session.commit()
