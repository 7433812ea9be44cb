"""Registration in a real browser: a councillor opens the demo Care Leavers' Week registration
page on a phone (375 px), forgets their email address, sees the error beside the field with
everything else kept, corrects it, registers and sees the confirmation; the confirmation email
arrives with a cancel link. axe checks every page on arrival."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import error_beside, live_db, signed_in_organiser

PHONE = {"width": 375, "height": 740}


def _registration_page(live_server) -> str:
    from cpevents.events.models import Event
    from cpevents.registrations.demo import EVENT

    with live_db(live_server) as db:
        event = db.session.execute(select(Event).where(Event.name == EVENT)).scalar_one()
        return f"/events/{event.public_id}/register"


def _no_sideways_scroll(visitor, width: int):
    scroll = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{visitor.path} scrolls sideways at {width} px ({scroll} px wide)"


def test_a_councillor_registers_for_care_leavers_week_on_a_phone(new_visitor, live_server, smtp_sink):
    email = f"cllr.{uuid.uuid4().hex[:8]}@council.example.org"
    path = _registration_page(live_server)

    cllr = new_visitor("councillor")
    cllr.page.set_viewport_size(PHONE)
    cllr.visit(path)
    expect(cllr.h1()).to_have_text("Register for Care Leavers' Week (demo)")
    main = cllr.page.locator("main")
    expect(main).to_contain_text("Our future, our voice")
    expect(main).to_contain_text("Planned with the Care Leavers' Forum")
    expect(main).to_contain_text("(UK time)")
    _no_sideways_scroll(cllr, PHONE["width"])

    # A mistake: no email address. The error is beside the field and nothing typed is lost.
    cllr.fill("Full name", "Cllr Ada Whitfield")
    cllr.fill("Organisation", "County Council")
    cllr.fill("Role or job title", "County councillor")
    radio(cllr, "Which of these are you?", "Councillors").check()
    cllr.fill("Access needs (optional)", "Hearing loop")
    cllr.press("Register")
    expect(cllr.error_summary()).to_be_visible()
    error_beside(cllr, cllr.field("Email address"), "Enter your email address")
    expect(cllr.field("Full name")).to_have_value("Cllr Ada Whitfield")
    expect(cllr.field("Access needs (optional)")).to_have_value("Hearing loop")
    expect(radio(cllr, "Which of these are you?", "Councillors")).to_be_checked()
    _no_sideways_scroll(cllr, PHONE["width"])

    cllr.fill("Email address", email)
    cllr.press("Register")
    expect(cllr.h1()).to_have_text("Check your email")
    expect(cllr.page.locator("main")).to_contain_text(email)
    _no_sideways_scroll(cllr, PHONE["width"])

    message = smtp_sink.wait_for(email)[0]
    assert message["subject"] == "Your registration"
    assert "/registrations/cancel/" in smtp_sink.text(message)


def test_organiser_adds_an_audience_and_sees_who_has_registered(new_visitor, live_server):
    """A new Care Leavers' Week event starts with professionals and councillors; the organiser adds
    "Partner agencies" with 10 places and reads the registrations list."""
    from datetime import timedelta

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.registrations.models import EventAudience
    from cpevents.registrations.services import Details, register

    with live_db(live_server, request=True) as db:
        event = create_event(kind=EventKind.CARE_LEAVERS_WEEK, name=f"Care Leavers' Week {uuid.uuid4().hex[:4]}", starts_at=utcnow() + timedelta(days=20),
                             venue="Town Hall", capacity=30, description="", min_age=16, max_age=25, by=user_by_email("organiser@demo.example.org"),
                             theme="Home", planning_credit="Planned with the Care Leavers' Forum")
        councillors = db.session.execute(select(EventAudience).where(EventAudience.event_id == event.id, EventAudience.name == "Councillors")).scalar_one()
        register(event, councillors, Details(name="Cllr Rosa Lind", email=f"rosa.{uuid.uuid4().hex[:6]}@example.org", organisation="County Council"))
        db.session.commit()
        event_path = f"/events/{event.public_id}"

    organiser, _ = signed_in_organiser(new_visitor, live_server, "Olu Organiser")
    organiser.visit(event_path)
    expect(organiser.page.get_by_role("table", name="Audiences")).to_contain_text("Councillors")
    organiser.follow("Add an audience")
    organiser.fill("Audience name", "Partner agencies")
    organiser.fill("Places (optional)", "ten")
    organiser.press("Save audience")
    error_beside(organiser, organiser.field("Places (optional)"), "Places must be a whole number")
    expect(organiser.field("Audience name")).to_have_value("Partner agencies")
    organiser.fill("Places (optional)", "10")
    organiser.press("Save audience")
    expect(organiser.banner()).to_contain_text("Partner agencies")
    expect(organiser.page.get_by_role("table", name="Audiences")).to_contain_text("0 of 10")
    organiser.follow("Who has registered")
    expect(organiser.h1()).to_have_text("Who has registered")
    expect(organiser.page.locator("main")).to_contain_text("Cllr Rosa Lind")
