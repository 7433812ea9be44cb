"""The outbox: written with the change, sent once by the worker, never lost when SMTP is down."""

from datetime import timedelta

from sqlalchemy import select, update

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.mail.models import MAX_ATTEMPTS, MessageStatus, OutboxMessage
from cpevents.mail.services import queue_email, start_batch
from tests.factories import csrf_from, make_user, sign_in
from tests.support import SmtpSink, run_outbox


def _queue(n=1, to="someone@example.org", batch=None, user=None):
    messages = [queue_email("accounts/password_changed", to=to if n == 1 else f"{i}-{to}", subject="Your password has been changed", name="Sam", batch=batch, user=user) for i in range(n)]
    return messages


def _make_due():
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_email_is_committed_with_the_change_or_not_at_all(app):
    with app.test_request_context():
        _queue()
        db.session.rollback()
        assert db.session.execute(select(OutboxMessage)).first() is None
        _queue()
        db.session.commit()
    assert db.session.execute(select(OutboxMessage)).scalar_one().status == MessageStatus.QUEUED


def test_message_arrives_once(app, smtp_sink):
    with app.test_request_context():
        message = _queue(to="once@example.org")[0]
        db.session.commit()
    assert run_outbox(app)["sent"] == 1
    assert run_outbox(app)["sent"] == 0
    assert len(smtp_sink.to("once@example.org")) == 1
    received = smtp_sink.to("once@example.org")[0]["message"]
    assert received["X-Cpevents-Message"] == message.public_id
    assert received.get_body(preferencelist=("plain",)) and received.get_body(preferencelist=("html",))
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == MessageStatus.SENT


def test_nothing_lost_nothing_twice_when_the_mail_server_is_down(app, monkeypatch):
    sink = SmtpSink()  # a mail server of our own that we can stop and start
    monkeypatch.setattr(app.extensions["mail"], "port", sink.port)
    with app.test_request_context():
        _queue(5, to="down@example.org")
        db.session.commit()
    result = run_outbox(app)  # the server is not running
    assert result["sent"] == 0
    rows = db.session.execute(select(OutboxMessage)).scalars().all()
    assert all(r.status == MessageStatus.QUEUED and r.attempts == 1 and r.next_attempt_at > utcnow() for r in rows)
    assert rows[0].last_error == "Could not reach the mail server"
    sink.start()
    try:
        assert run_outbox(app)["sent"] == 0  # back-off: not due yet
        _make_due()
        assert run_outbox(app)["sent"] == 5
        _make_due()
        assert run_outbox(app)["sent"] == 0
        subjects = [m["to"][0] for m in sink.messages]
        assert sorted(subjects) == sorted(f"{i}-down@example.org" for i in range(5))  # each exactly once
    finally:
        sink.stop()


def test_back_off_grows_then_gives_up_after_ten_failures(app, monkeypatch):
    sink = SmtpSink()  # never started
    monkeypatch.setattr(app.extensions["mail"], "port", sink.port)
    with app.test_request_context():
        message = _queue()[0]
        db.session.commit()
    delays = []
    for _ in range(MAX_ATTEMPTS):
        before = utcnow()
        run_outbox(app)
        db.session.expire_all()
        row = db.session.get(OutboxMessage, message.id)
        if row.status == MessageStatus.QUEUED:
            delays.append((row.next_attempt_at - before).total_seconds())
        _make_due()
    assert delays == sorted(delays) and delays[0] >= 29 and delays[-1] > delays[0] * 100
    assert row.status == MessageStatus.FAILED and row.attempts == MAX_ATTEMPTS


def test_undeliverable_address_is_reported_against_the_person_and_others_still_go(app, smtp_sink):
    person = make_user(Role.NOMINATOR, email="bounce-me@example.org")
    with app.test_request_context():
        _queue(to="fine@example.org")
        queue_email("accounts/password_changed", to=person.email, subject="Your password has been changed", name="x", user=person)
        _queue(to="also-fine@example.org")
        db.session.commit()
    result = run_outbox(app)
    assert result == {"sent": 2, "retry": 0, "failed": 1}
    db.session.expire_all()
    bounced = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == person.email)).scalar_one()
    assert bounced.status == MessageStatus.FAILED and bounced.undeliverable
    assert db.session.get(type(person), person.id).email_undeliverable_at is not None


def test_stale_claims_are_released(app, smtp_sink):
    with app.test_request_context():
        _queue(to="stale@example.org")
        db.session.commit()
    db.session.execute(update(OutboxMessage).values(status=MessageStatus.SENDING, claimed_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    assert run_outbox(app)["sent"] == 1


def test_organiser_sees_batch_progress_and_can_retry_and_cancel(app, client, smtp_sink):
    organiser = make_user(Role.ORGANISER, totp=True)
    with app.test_request_context():
        batch = start_batch("PROUD 2027 invitations", by=organiser)
        _queue(3, to="guest@example.org", batch=batch)
        failed = queue_email("accounts/password_changed", to="x@example.org", subject="An invitation for you", name="x")
        db.session.commit()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == failed.id).values(status=MessageStatus.FAILED, attempts=10))
    db.session.commit()
    sign_in(client, organiser)
    page = client.get("/emails").get_data(as_text=True)
    assert "PROUD 2027 invitations" in page and "0</span> of 3 sent" in page
    assert client.get("/emails/progress.json").get_json()["overall"]["queued"] == 3
    run_outbox(app)
    page = client.get("/emails").get_data(as_text=True)
    assert "3</span> of 3 sent" in page
    shown = client.get(f"/emails/{failed.public_id}")
    html = shown.get_data(as_text=True)
    assert "Your password has been changed" in html or "An invitation for you" in html
    assert "Try sending again" in html
    client.post(f"/emails/{failed.public_id}/retry", data={"csrf_token": csrf_from(html)})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == MessageStatus.QUEUED
    html = client.get(f"/emails/{failed.public_id}").get_data(as_text=True)
    client.post(f"/emails/{failed.public_id}/cancel", data={"csrf_token": csrf_from(html)})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == MessageStatus.CANCELLED


def test_subjects_are_neutral(app):
    """No email subject reveals that someone is in care."""
    import re
    from pathlib import Path

    words = re.compile(r"\b(care|looked[- ]after|leaver|foster|social worker)\b", re.I)
    for path in Path("cpevents").rglob("*.py"):
        for subject in re.findall(r'subject="([^"]+)"', path.read_text()):
            assert not words.search(subject), (path, subject)


def test_the_email_list_shows_failed_first_then_the_newest_across_pages(app):
    """Issue 19: failed messages and the others are read as two walks down the id index; the
    pages still run failed (newest first), then the rest (newest first), with nothing twice."""
    from cpevents.mail import queries

    messages = _queue(7)
    db.session.commit()
    failed_ids = {messages[1].id, messages[4].id, messages[5].id}
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(failed_ids)).values(status=MessageStatus.FAILED))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.not_in(failed_ids)).values(status=MessageStatus.SENT))
    db.session.commit()
    pages = [queries.recent_messages("", page, size=2) for page in (1, 2, 3, 4)]
    assert all(total == 7 for _, total in pages)
    shown = [m.id for rows, _ in pages for m in rows]
    ids = sorted(m.id for m in messages)
    expected = sorted(failed_ids, reverse=True) + sorted(set(ids) - failed_ids, reverse=True)
    assert shown == expected
    rows, total = queries.recent_messages("failed", 1, size=2)
    assert total == 3 and [m.id for m in rows] == sorted(failed_ids, reverse=True)[:2]
    assert queries.recent_messages("", 99, size=2)[0][-1].id == expected[-1]  # past the end: the last page
