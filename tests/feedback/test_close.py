"""Closing an event: after it starts, once, and then no more replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback import services
from cpevents.feedback.models import FeedbackLink
from cpevents.feedback.queries import feedback_recipients
from cpevents.invitations import services as invitation_services
from cpevents.invitations.models import InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply, ReplyError
from cpevents.mail.models import EmailBatch, OutboxMessage
from tests.factories import sign_in
from tests.feedback.helpers import closed_event, past_event
from tests.invitations.helpers import link_for, make_event, post


def test_an_event_cannot_be_closed_before_it_starts(client):
    event, organiser = make_event(days=3)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/close")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "has not started yet" in html and "Close the event and send feedback links" not in html
    response = post(client, f"/events/{event.public_id}/close", {}, get_path=f"/events/{event.public_id}")
    assert response.status_code == 302
    assert "has not started yet" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert not event.is_closed
    with pytest.raises(services.CloseError):
        services.close_event(event, by=organiser)


def test_closing_records_who_when_writes_the_audit_trail_and_queues_one_batch(client, smtp_sink):
    event, organiser, replied, others = past_event(replied=3, no_email=2, unreplied=2)
    sign_in(client, organiser)
    event_page = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "Close this event" in event_page
    confirm = client.get(f"/events/{event.public_id}/close").get_data(as_text=True)
    assert "no more replies" in confirm.lower() or "stops any more replies" in confirm
    assert "attendance final" in confirm.lower() and "3 by email" in confirm and "2 with no email address" in confirm
    response = post(client, f"/events/{event.public_id}/close", {})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.public_id}/feedback")
    db.session.expire_all()
    assert event.is_closed and event.closed_by_id == organiser.id
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "events", AuditEntry.subject_id == event.id)).scalars().all()
    assert any("closed" in entry.detail.lower() for entry in audit)
    batches = db.session.execute(select(EmailBatch).where(EmailBatch.name == f"Feedback: {event.name}")).scalars().all()
    assert len(batches) == 1
    assert db.session.execute(select(func.count(OutboxMessage.id)).where(OutboxMessage.batch_id == batches[0].id)).scalar_one() == 3
    # Only those who replied got a link; those with no email wait for a letter.
    linked = set(db.session.execute(select(FeedbackLink.invitation_id)).scalars())
    assert linked == {i.id for i in replied[:3]}
    assert {i.id for i in feedback_recipients(event)} == {i.id for i in replied}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 feedback links queued" in page and "2 young people need a printed letter" in page


def test_closing_twice_says_so_and_changes_nothing(client):
    event, organiser, _, _ = closed_event(replied=2)
    closed_at = event.closed_at
    links = db.session.execute(select(func.count(FeedbackLink.id))).scalar_one()
    sign_in(client, organiser)
    assert "already closed" in client.get(f"/events/{event.public_id}/close").get_data(as_text=True)
    response = post(client, f"/events/{event.public_id}/close", {}, get_path=f"/events/{event.public_id}")
    assert "already closed" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert event.closed_at == closed_at
    assert db.session.execute(select(func.count(FeedbackLink.id))).scalar_one() == links
    assert services.close_event(event, by=organiser).already


def test_replies_are_refused_once_the_event_is_closed(client, app):
    event, organiser, replied, others = past_event(replied=1, unreplied=1)
    waiting = others[0]
    waiting.status, waiting.offer_expires_at = InvitationStatus.OFFERED, utcnow() + timedelta(hours=5)
    db.session.commit()
    young = app.test_client()
    young.get(link_for(waiting))
    from tests.factories import csrf_from

    young_token = csrf_from(young.get("/invitation").get_data(as_text=True))  # the accept button, before closing
    services.close_event(event, by=organiser)
    db.session.commit()
    with pytest.raises(ReplyError, match="closed"):
        invitation_services.record_reply(replied[0], Reply(attending=InvitationStatus.NOT_COMING), by=organiser, how=ReplyHow.ORGANISER, organiser_late=True)
    with pytest.raises(ReplyError, match="closed"):
        invitation_services.accept_offer(waiting, by=None, how=ReplyHow.LINK)
    db.session.rollback()
    # The organiser's "record a reply" page: a plain message, and a post changes nothing.
    sign_in(client, organiser)
    page = client.get(f"/invitations/{replied[0].public_id}/reply")
    assert page.status_code == 200 and "Replies are closed" in page.get_data(as_text=True)
    token = client.get(f"/invitations/{replied[0].public_id}").get_data(as_text=True)

    response = client.post(f"/invitations/{replied[0].public_id}/reply", data={"csrf_token": csrf_from(token), "attending": "no"})
    assert response.status_code == 409 and "Replies are closed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert replied[0].status == InvitationStatus.COMING
    # The young person's own link: no reply form, a plain message, and accepting is refused.
    page = young.get("/invitation")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "This event has finished" in html
    assert young.get("/invitation/can-you-come").status_code == 302
    response = young.post("/invitation/accept", data={"csrf_token": young_token})
    assert response.status_code == 302
    assert "closed" in young.get("/invitation").get_data(as_text=True)
    db.session.expire_all()
    assert waiting.status == InvitationStatus.OFFERED
