""""You said, we did": organisers tell everyone who was sent a feedback link what changed, once."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.feedback import services
from cpevents.feedback.models import MAX_ACTION_TEXT, FeedbackAction, FeedbackLink, FeedbackResponse
from cpevents.mail.models import OutboxMessage
from cpevents.reports.queries import Period, objective_report
from tests.factories import csrf_from, make_user, sign_in
from tests.feedback.helpers import answer, closed_event, feedback_link
from tests.invitations.helpers import error_text, make_event, post

POINTS = "You said the music was too loud, so we will have a quiet room\nPizza next time, not sandwiches"


def _path(event, end: str = "") -> str:
    return f"/events/{event.public_id}/feedback/you-said-we-did{end}"


def _quiet(smtp_sink):
    """Deliver the feedback-link emails closing queued, then forget them."""
    smtp_sink.deliver()
    smtp_sink.clear()


def _write_and_send(client, event, text: str = POINTS):
    response = post(client, _path(event), {"text": text})
    assert response.status_code == 302 and response.headers["Location"].endswith(_path(event, "/check")), error_text(response)
    return post(client, _path(event, "/check"), {})


def _outbox() -> int:
    return db.session.execute(select(func.count(OutboxMessage.id))).scalar_one()


def test_organiser_writes_checks_and_sends_one_email_to_each_person_sent_a_link(client, smtp_sink):
    event, organiser, replied, others = closed_event(replied=3, no_email=1, unreplied=1)
    _quiet(smtp_sink)
    young = current_app.test_client()
    young.get(feedback_link(replied[0]))
    assert answer(young, proud="5").status_code == 302  # one of them answered, the others did not
    sign_in(client, organiser)
    assert "Write “You said, we did”" in client.get(f"/events/{event.public_id}/feedback").get_data(as_text=True)

    response = post(client, _path(event), {"text": POINTS})
    assert response.status_code == 302
    assert "Pizza next time, not sandwiches" in client.get(_path(event)).get_data(as_text=True)  # a draft can be changed before sending
    check = client.get(_path(event, "/check")).get_data(as_text=True)
    assert "Pizza next time, not sandwiches" in check and "It goes to 3 young people by email" in check
    assert services.SUBJECT_ACTION in check
    assert not db.session.execute(select(OutboxMessage.id).where(OutboxMessage.subject == services.SUBJECT_ACTION)).first()  # nothing sent yet

    response = post(client, _path(event, "/check"), {})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{event.public_id}/feedback")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 emails queued" in page and "Sent on" in page and "Pizza next time, not sandwiches" in page

    bodies = []
    for invitation in replied[:3]:
        person = invitation.young_person
        (item,) = smtp_sink.wait_for(person.email)
        assert item["subject"] == services.SUBJECT_ACTION == "You said, we did: what we changed"
        assert "care" not in item["subject"].lower() and event.name not in item["subject"]
        text = smtp_sink.text(item)
        assert "You said the music was too loud, so we will have a quiet room" in text and "Pizza next time" in text
        assert "/f/" not in text and "/i/" not in text and "/f/" not in smtp_sink.html(item)  # no personal link
        bodies.append(text.replace(person.first_or_preferred, "NAME"))
    # The same words for everyone, answered or not: nothing says who answered.
    assert len(set(bodies)) == 1
    assert smtp_sink.to(others[0].young_person.email) == []  # never sent a feedback link
    action = db.session.execute(select(FeedbackAction).where(FeedbackAction.event_id == event.id)).scalar_one()
    assert action.sent_at is not None and action.sent_by_id == organiser.id and action.emailed == 3
    assert action.written_by_id == organiser.id and action.points == POINTS.splitlines()
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "events", AuditEntry.subject_id == event.id)).scalars().all()
    assert any("You said, we did" in entry.detail and entry.young_person_id is None for entry in audit)


def test_sending_twice_sends_nothing_the_second_time(client, smtp_sink):
    event, organiser, replied, _ = closed_event(replied=2)
    _quiet(smtp_sink)
    sign_in(client, organiser)
    _write_and_send(client, event)
    smtp_sink.wait_for(replied[0].young_person.email)
    queued = _outbox()
    response = post(client, _path(event, "/check"), {}, get_path=f"/events/{event.public_id}/feedback")
    assert response.status_code == 302
    assert "sent already. Nothing has been sent again" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _outbox() == queued
    assert services.send_feedback_action(event, by=organiser).already
    # Once sent, the words cannot be changed either.
    assert "It cannot be changed now" in client.get(_path(event)).get_data(as_text=True)
    post(client, _path(event), {"text": "Something else"}, get_path=f"/events/{event.public_id}/feedback")
    db.session.expire_all()
    assert db.session.execute(select(FeedbackAction.text)).scalar_one() == POINTS
    smtp_sink.deliver()
    assert len(smtp_sink.to(replied[0].young_person.email)) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Write at least one thing you changed because of the feedback"),
    ("We changed the food. " * 100, f"What you changed must be {MAX_ACTION_TEXT:,} characters or fewer"),
])
def test_bad_input_gets_a_message_beside_the_field_and_keeps_what_was_typed(client, text, message):
    event, organiser, _, _ = closed_event(replied=1)
    sign_in(client, organiser)
    response = post(client, _path(event), {"text": text})
    assert response.status_code == 400
    assert message in error_text(response)
    html = response.get_data(as_text=True)
    if text.strip():
        assert text.strip()[:200] in html and len(text.strip()) > MAX_ACTION_TEXT
    assert db.session.execute(select(func.count(FeedbackAction.id))).scalar_one() == 0


def test_nothing_can_be_written_or_sent_before_the_event(client):
    event, organiser = make_event(days=3)
    sign_in(client, organiser)
    page = client.get(_path(event))
    assert page.status_code == 200 and "has not happened yet" in page.get_data(as_text=True) and "<textarea" not in page.get_data(as_text=True)
    token = csrf_from(client.get(f"/events/{event.public_id}").get_data(as_text=True))
    assert client.post(_path(event), data={"csrf_token": token, "text": POINTS}).status_code == 302
    assert client.get(_path(event, "/check")).status_code == 200
    assert client.post(_path(event, "/check"), data={"csrf_token": token}).status_code == 302
    assert db.session.execute(select(func.count(FeedbackAction.id))).scalar_one() == 0
    with pytest.raises(services.ActionError):
        services.save_feedback_action(event, POINTS, by=organiser)


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER])
def test_every_other_role_is_refused(client, role):
    event, _, _, _ = closed_event(replied=1)
    sign_in(client, make_user(role, totp=role in {Role.BOARD}))
    token = csrf_from(client.get("/account").get_data(as_text=True))
    for path in (_path(event), _path(event, "/check")):
        assert client.get(path).status_code == 403, path
        assert client.post(path, data={"csrf_token": token, "text": POINTS}).status_code == 403, path
    assert db.session.execute(select(func.count(FeedbackAction.id))).scalar_one() == 0


def test_strangers_are_sent_to_sign_in(client):
    event, _, _, _ = closed_event(replied=1)
    for path in (_path(event), _path(event, "/check")):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_feedback_link_pages_show_it_once_it_is_sent(client, app, smtp_sink):
    event, organiser, replied, _ = closed_event(replied=2)
    young = app.test_client()
    young.get(feedback_link(replied[0]))
    sign_in(client, organiser)
    post(client, _path(event), {"text": POINTS})
    assert "You said, we did" not in young.get("/feedback").get_data(as_text=True)  # written, not sent: not shown
    post(client, _path(event, "/check"), {})
    page = young.get("/feedback").get_data(as_text=True)
    assert "You said, we did" in page and "Pizza next time, not sandwiches" in page
    assert answer(young, proud="4").status_code == 302
    thanks = young.get("/feedback/thank-you").get_data(as_text=True)
    assert "You said, we did" in thanks and "we will have a quiet room" in thanks
    again = young.get("/feedback").get_data(as_text=True)  # "we already have your answers"
    assert "already have your answers" in again and "Pizza next time" in again
    # Another event's young person does not see it.
    other, _o, other_replied, _x = closed_event(replied=1)
    stranger = app.test_client()
    stranger.get(feedback_link(other_replied[0]))
    assert "Pizza next time" not in stranger.get("/feedback").get_data(as_text=True)


def test_the_objective_report_counts_events_whose_feedback_was_acted_on(client, smtp_sink):
    sent_event, organiser, _, _ = closed_event(replied=1)
    draft_event, _o, _r, _x = closed_event(replied=1)
    sign_in(client, organiser)
    _write_and_send(client, sent_event)
    post(client, _path(draft_event), {"text": "Only a draft, never sent"})
    report = objective_report(Period.current())
    assert (report.feedback_events_asked, report.feedback_acted_on) == (2, 1)
    assert report.feedback_actions == [(sent_event.name, POINTS.splitlines())]
    board = current_app.test_client()
    sign_in(board, make_user(Role.BOARD, totp=True))
    html = board.get("/reports/objective").get_data(as_text=True)
    assert "1 of 2 events that asked young people for feedback has told them what changed" in html
    assert "Pizza next time, not sandwiches" in html and "Only a draft" not in html
    import io

    from openpyxl import load_workbook

    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(board.get("/reports/objective.xlsx").data)).active.iter_rows()]
    assert "Feedback acted on" in rows[2][3] and "1 of 2 events" in rows[2][3]


def test_sending_keeps_feedback_anonymous(client, smtp_sink):
    event, organiser, replied, _ = closed_event(replied=3)
    young = current_app.test_client()
    young.get(feedback_link(replied[1]))
    answer(young, proud="2", improve="Louder music")

    def snapshot():
        links = db.session.execute(select(FeedbackLink.id, FeedbackLink.invitation_id, FeedbackLink.used).order_by(FeedbackLink.id)).all()
        responses = db.session.execute(select(FeedbackResponse.id, FeedbackResponse.event_id, FeedbackResponse.proud, FeedbackResponse.improve)).all()
        return links, responses

    before = snapshot()
    sign_in(client, organiser)
    _write_and_send(client, event)
    db.session.expire_all()
    assert snapshot() == before  # sending changes no link and no answer
    # The new table points only at the event and at organisers' accounts, never at a link, an
    # invitation, a young person or an answer.
    assert {fk.column.table.name for fk in FeedbackAction.__table__.foreign_keys} == {"events", "users"}
    assert not any(word in c.name for c in FeedbackAction.__table__.columns for word in ("invitation", "young", "response", "link"))
    # No audit entry about any young person was written by sending.
    assert db.session.execute(
        select(func.count(AuditEntry.id)).where(AuditEntry.detail.like("%You said%"), AuditEntry.young_person_id.is_not(None))
    ).scalar_one() == 0
