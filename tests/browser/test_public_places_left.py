"""The public registration page says how many places each audience has left, in the hint read out
with its choice, and "Waiting list only" once an audience is full; the last place taken in the
browser turns the count over. axe checks every page on arrival."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import live_db

GROUP = "Which of these are you?"


def _event_with_places(live_server) -> str:
    """A new Care Leavers' Week event: professionals with 2 places (1 taken), councillors with no limit."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.registrations.models import EventAudience
    from cpevents.registrations.services import Details, register

    with live_db(live_server, request=True) as db:
        event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name=f"Care Leavers' Week places {uuid.uuid4().hex[:4]}", starts_at=utcnow() + timedelta(days=20),
                             venue="Town Hall", capacity=30, description="", min_age=16, max_age=25, by=user_by_email("organiser@demo.example.org"))
        rows = {a.name: a for a in db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id)).scalars()}
        rows["Professionals"].capacity = 2
        rows["Councillors"].capacity = None
        db.session.flush()
        register(event, rows["Professionals"], Details(name="Pat Adviser", email=f"pat.{uuid.uuid4().hex[:6]}@example.org", organisation="Leaving care team"))
        db.session.commit()
        return f"/events/{event.public_id}/register"


def test_places_left_then_waiting_list_only(new_visitor, live_server):
    path = _event_with_places(live_server)
    visitor = new_visitor("public")
    visitor.visit(path)
    professionals = radio(visitor, GROUP, "Professionals")
    expect(professionals).to_have_accessible_description("1 place left")
    expect(radio(visitor, GROUP, "Councillors")).to_have_accessible_description("")

    visitor.fill("Full name", "Jo Worker")
    visitor.fill("Organisation", "Leaving care team")
    visitor.fill("Role or job title", "Personal adviser")
    visitor.fill("Email address", f"jo.{uuid.uuid4().hex[:6]}@example.org")
    professionals.check()
    visitor.press("Register")
    expect(visitor.h1()).to_have_text("Check your email")

    visitor.visit(path)
    expect(radio(visitor, GROUP, "Professionals")).to_have_accessible_description("Waiting list only")
    expect(visitor.page.locator("main")).not_to_contain_text("places left")
