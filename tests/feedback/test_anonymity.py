"""Answers cannot be joined back to the young person who gave them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, inspect, select

from cpevents.extensions import db
from cpevents.feedback.models import FeedbackLink, FeedbackResponse
from tests.feedback.helpers import answer, closed_event, feedback_link


def test_no_column_links_a_response_to_a_link_an_invitation_or_a_person():
    response_columns = {c.name for c in FeedbackResponse.__table__.columns}
    assert response_columns == {"id", "event_id", "proud", "future", "supported", "views", "improve", "submitted_on"}
    # Its only foreign key is the event.
    assert {fk.column.table.name for fk in FeedbackResponse.__table__.foreign_keys} == {"events"}
    # The response keeps a day, never a time.
    assert isinstance(FeedbackResponse.__table__.c.submitted_on.type, Date)
    assert not any(isinstance(c.type, DateTime) for c in FeedbackResponse.__table__.columns)
    # The link has no reference to a response and no time of answering.
    link_columns = {c.name for c in FeedbackLink.__table__.columns}
    assert link_columns == {"id", "invitation_id", "token_hash", "created_at", "expires_at", "used"}
    assert {fk.column.table.name for fk in FeedbackLink.__table__.foreign_keys} == {"invitations"}
    assert not any("response" in name or "answered" in name or "submitted" in name for name in link_columns)
    # And in the database the migrations built, too.
    inspector = inspect(db.engines[None])
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("feedback_responses")} == {"events"}
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("feedback_links")} == {"invitations"}


def test_answering_leaves_no_trace_of_who_answered_on_the_response(client):
    event, organiser, replied, _ = closed_event(replied=2)
    person = replied[0].young_person
    client.get(feedback_link(replied[0]))
    answer(client, proud="5", improve="It was great")
    saved = db.session.execute(select(FeedbackResponse)).scalar_one()
    values = [getattr(saved, c.name) for c in FeedbackResponse.__table__.columns]
    for value in values:
        assert str(value) not in {person.first_name, person.last_name, person.email, str(person.id), str(replied[0].id)} or value == saved.id
    assert isinstance(saved.submitted_on, dt.date) and not isinstance(saved.submitted_on, dt.datetime)
    # The audit trail records nothing about the answer (it would carry the time).
    from cpevents.audit.models import AuditEntry

    details = db.session.execute(select(AuditEntry.detail).where(AuditEntry.young_person_id == person.id)).scalars().all()
    assert not any("feedback" in (d or "").lower() and "answer" in (d or "").lower() for d in details)
