"""Issue 16, part G: on a 375 px phone with axe on every page, a young person replies choosing
each consent separately (nothing chosen for them), then withdraws one from "Your choices": it
counts at once at the door, and the organisers are told."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_invitation_on_a_phone import PHONE, _invited, _no_sideways_scroll
from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import live_db, unique_surname


def _consents(live_server, public_id: str) -> dict:
    from cpevents.door.queries import door_row
    from cpevents.invitations.models import ConsentRecord, Invitation

    with live_db(live_server) as db:
        invitation = db.session.execute(db.select(Invitation).filter_by(public_id=public_id)).scalar_one()
        records = db.session.execute(db.select(ConsentRecord).filter_by(invitation_id=invitation.id).order_by(ConsentRecord.id)).scalars().all()
        return {
            "photos_ok": invitation.photos_ok,
            "uses": [c for c in ("use_website", "use_social", "use_press", "use_annual_report") if getattr(invitation, c)],
            "name_read": invitation.name_read.value,
            "markers": [m.text for m in door_row(invitation).markers],
            "guest_photos": [g.photo_consent for g in invitation.guests],
            "records": [(r.kind.value, r.answer, r.how.value) for r in records],
        }


def test_reply_choosing_consents_then_withdraw_one_on_a_phone(new_visitor, live_server, smtp_sink):
    facts = _invited(live_server, unique_surname("Adeyemi"), shortlisted=False)
    zara = new_visitor("young person")
    zara.page.set_viewport_size(PHONE)
    zara.visit(facts["link"])
    radio(zara, "Can you come?", "Yes, I can come").check()
    zara.press("Continue")
    zara.fill("How many guests will come with you?", "1")
    zara.fill("Guest 1: name", "Nan")
    radio(zara, "Guest 1: adult or child?", "Adult").check()
    guest_photos = zara.page.get_by_label("Guest 1 is happy for photos of them to be taken")
    expect(guest_photos).not_to_be_checked()
    guest_photos.check()
    zara.press("Continue")

    expect(zara.h1()).to_have_text("What you need on the day")
    _no_sideways_scroll(zara)
    # Nothing is chosen for her.
    photos = zara.page.get_by_label("Photos of me may be taken at the event")
    expect(photos).not_to_be_checked()
    uses = zara.page.get_by_role("group", name="After the event, may we use photos and a short story about you?")
    for place in ("On the council website", "On the council's social media", "In newspapers and other press", "In the annual report"):
        expect(uses.get_by_label(place)).not_to_be_checked()
    for choice in ("First name only", "Full name", "No name"):
        expect(radio(zara, "How should your name be read out on stage?", choice)).not_to_be_checked()
    photos.check()
    uses.get_by_label("On the council website").check()
    uses.get_by_label("In the annual report").check()
    radio(zara, "How should your name be read out on stage?", "Full name").check()
    zara.press("Continue")
    expect(zara.h1()).to_have_text("Check your answers")
    expect(zara.page.locator(".govuk-summary-list")).to_contain_text("On the council website, In the annual report")
    zara.press("Send my reply")
    expect(zara.page.locator(".govuk-panel__title")).to_have_text("You are coming")
    saved = _consents(live_server, facts["invitation"])
    assert saved["photos_ok"] and saved["uses"] == ["use_website", "use_annual_report"] and saved["name_read"] == "full_name"
    assert saved["guest_photos"] == [True] and "No photos" not in saved["markers"]
    assert ("photos", "yes", "link") in saved["records"]

    # Later she changes her mind about photos on the night.
    zara.follow("Your choices")
    expect(zara.h1()).to_have_text("Your choices")
    _no_sideways_scroll(zara)
    expect(zara.page.get_by_label("Photos of me may be taken at the event")).to_be_checked()
    zara.page.get_by_label("Photos of me may be taken at the event").uncheck()
    zara.press("Save my choices")
    expect(zara.page.locator(".govuk-notification-banner")).to_contain_text("Your choices are saved")
    _no_sideways_scroll(zara)
    expect(zara.page.get_by_label("Photos of me may be taken at the event")).not_to_be_checked()
    after = _consents(live_server, facts["invitation"])
    assert not after["photos_ok"] and "No photos" in after["markers"]
    assert after["uses"] == ["use_website", "use_annual_report"]  # only what she changed
    assert after["records"][-1] == ("photos", "no", "link")
    told = [m for m in smtp_sink.wait_for("organiser@demo.example.org", count=1) if m["subject"] == "Choices changed for an invitation"]
    assert told and "Zara" not in told[0]["subject"]
