"""The demo Care Leavers' Week: next 28 October, audiences with their places, a dozen registered
without any email sent, young people invited, and a registration page that works."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from cpevents.core.time import LONDON
from cpevents.events.models import Event, EventKind
from cpevents.extensions import db
from cpevents.invitations.models import Invitation
from cpevents.mail.models import OutboxMessage
from cpevents.registrations.demo import EVENT, event_day
from cpevents.registrations.queries import audience_counts


def test_event_day_is_the_next_28_october_on_or_after_today():
    assert event_day(date(2026, 12, 1)) == date(2027, 10, 28)
    assert event_day(date(2027, 3, 5)) == date(2027, 10, 28)
    assert event_day(date(2027, 10, 28)) == date(2027, 10, 28)
    assert event_day(date(2027, 10, 29)) == date(2028, 10, 28)


def test_demo_care_leavers_week_is_made_once_with_a_working_registration_page(app, client):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        first = seed_demo()
        db.session.commit()
        emails_before = db.session.execute(select(func.count(OutboxMessage.id))).scalar_one()
        second = seed_demo()
        db.session.commit()
    event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one()
    assert event.kind == EventKind.CARE_LEAVERS_WEEK and event.theme and event.planning_credit and event.description
    local = event.starts_at.astimezone(LONDON)
    assert (local.month, local.day) == (10, 28)
    counts = {c.audience.name: (c.audience.capacity, c.confirmed) for c in audience_counts(event)}
    assert counts == {"Professionals": (40, 8), "Councillors": (15, 4)}
    assert db.session.execute(select(func.count(Invitation.id)).where(Invitation.event_id == event.id)).scalar_one() >= 6
    # No email about any registration (the demo sends none), and nothing more on a second run.
    assert not db.session.execute(select(OutboxMessage.id).where(OutboxMessage.template.like("registrations/%"))).first()
    assert db.session.execute(select(func.count(OutboxMessage.id))).scalar_one() == emails_before
    assert first["registration_link"] == second["registration_link"]
    path = "/events/" + first["registration_link"].split("/events/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Our future, our voice" in page.get_data(as_text=True)
