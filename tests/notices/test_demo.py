"""The demo: one message already sent to the young people coming to the Celebration tea, listed on
its Messages page; seeding again sends nothing more."""

from __future__ import annotations

from sqlalchemy import func, select

from cpevents.extensions import db
from cpevents.mail.models import OutboxMessage
from cpevents.notices.demo import MESSAGE_SUBJECT
from cpevents.notices.models import EventMessage, MessageGroup
from tests.factories import sign_in


def test_demo_has_a_message_sent_to_those_coming_to_the_tea(app, client):
    from cpevents.accounts.models import user_by_email
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        second = seed_demo()
        db.session.commit()
    assert first["sent_message"] == second["sent_message"]
    message = db.session.execute(select(EventMessage)).scalar_one()
    assert message.group == MessageGroup.COMING and message.subject == MESSAGE_SUBJECT and message.emailed >= 1
    assert message.event.name == "Celebration tea (demo)"
    queued = db.session.execute(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.batch_id == message.batch_id)).scalar_one()
    assert queued == message.emailed and message.not_emailed >= 1  # the tea has young people without email: the page says so
    organiser = user_by_email("organiser@demo.example.org")
    sign_in(client, organiser, password="demo organiser password")
    page = client.get(f"/events/{message.event.public_id}/messages").get_data(as_text=True)
    assert MESSAGE_SUBJECT in page
