"""Issue 17: an organiser records a young person's mobile number and their agreement to texts,
on a phone (375 px), with axe on every page (see conftest). Texts are on for this test only
(the Notify settings of tests/mail/notify_server.py); nothing is sent here."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_records_and_email import add_young_person, error_beside, signed_in_organiser
from tests.mail.notify_server import API_KEY, TEMPLATE_ID

PHONE = {"width": 375, "height": 740}


def _no_sideways_scroll(visitor):
    scroll = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], f"{visitor.path} scrolls sideways ({scroll} px wide)"


def test_organiser_records_a_mobile_number_and_agreement_on_a_phone(new_visitor, live_server):
    config = live_server.app.config
    saved = {k: config.get(k) for k in ("NOTIFY_API_KEY", "NOTIFY_TEMPLATE_TEXT")}
    config.update(NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_TEXT=TEMPLATE_ID)
    try:
        olivia, organiser = signed_in_organiser(new_visitor, live_server, "Ottilie Organiser")
        olivia.page.set_viewport_size(PHONE)
        person = add_young_person(live_server, organiser["email"], first_name="Rhiannon")
        olivia.visit(f"/young-people/{person['public_id']}/edit")
        _no_sideways_scroll(olivia)
        mobile = olivia.field("Mobile number (optional)")
        mobile.fill("07700 9001")
        olivia.page.get_by_label("They agree to get text messages about invitations and feedback on this number").check()
        olivia.press("Save")
        expect(olivia.error_summary()).to_be_visible()
        error_beside(olivia, mobile, "Enter a UK mobile number")
        expect(mobile).to_have_value("07700 9001")  # what was typed is kept
        _no_sideways_scroll(olivia)
        mobile.fill("07700 900123")
        olivia.press("Save")
        expect(olivia.h1()).to_have_text(person["full_name"])
        row = olivia.page.locator(".govuk-summary-list__row").filter(has_text="Mobile number")
        expect(row).to_contain_text("07700 900123")
        expect(row).to_contain_text("agreed to texts on")
        expect(row).to_contain_text("recorded by Ottilie Organiser")
        _no_sideways_scroll(olivia)
    finally:
        config.update(saved)
