"""Registration in a real browser: a councillor opens the demo Care Leavers' Week registration
page on a phone (375 px), forgets their email address, sees the error beside the field with
everything else kept, corrects it, registers and sees the confirmation; the confirmation email
arrives with a cancel link. axe checks every page on arrival."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import error_beside, live_db

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
    expect(cllr.h1()).to_have_text("You are registered")
    expect(cllr.page.locator("main")).to_contain_text(email)
    _no_sideways_scroll(cllr, PHONE["width"])

    message = smtp_sink.wait_for(email)[0]
    assert message["subject"] == "Your registration"
    assert "/registrations/cancel/" in smtp_sink.text(message)
