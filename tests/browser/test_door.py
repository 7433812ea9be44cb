"""Check-in at the door in a real browser, on a phone (375 px): a door helper signs in, opens
today's door list from their home page, finds a young person by first name, checks them and their
two guests in with one tap, sees the markers, and never sees a contact restriction's note. axe
checks every page on arrival (the printable list too)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, sign_in, unique_surname

PHONE = {"width": 375, "height": 740}
SECRET = "Birth father must not know the venue (browser test note)"


def _tea_with_two_young_people(live_server, surname: str, helper_email: str) -> dict:
    from sqlalchemy import select

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.door.models import EventDoorHelper
    from cpevents.events.models import Event
    from cpevents.invitations import services
    from cpevents.invitations.models import AgeGroup, Guest, InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    tag = surname.rsplit("-", 1)[1].lower()
    with live_db(live_server) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        made = {}
        for key, first, restricted in (("zuri", f"Zuri{tag}", False), ("quin", f"Quin{tag}", True)):
            person = create_young_person({"first_name": first, "last_name": surname, "date_of_birth": date(2007, 5, 1), "care_status": CareStatus.CARE_LEAVER},
                                         by=organiser)
            person.contact_restriction, person.contact_restriction_note = restricted, SECRET if restricted else ""
            invitation = services.invite(event, person, by=organiser)
            invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, utcnow() - timedelta(days=5), ReplyHow.LINK
            if not restricted:
                invitation.photo_consent, invitation.access, invitation.door_note = False, "wheelchair", "Meet her at the side door"
                invitation.guests.append(Guest(name="Mum", age_group=AgeGroup.ADULT, position=1))
                invitation.guests.append(Guest(name="Kit (brother)", age_group=AgeGroup.CHILD, position=2))
            made[key] = f"{first} {surname[0]}"
        helper = user_by_email(helper_email)
        db.session.add(EventDoorHelper(event_id=event.id, user_id=helper.id))
        db.session.commit()
        made["event"] = event.public_id
        return made


def _no_sideways_scroll(visitor):
    scroll = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], f"{visitor.path} scrolls sideways at {PHONE['width']} px ({scroll} px wide)"


def test_door_helper_checks_in_a_young_person_and_two_guests_with_one_tap_on_a_phone(new_visitor, live_server):
    account = live_server.make_account("door_helper", name="Dee Door")
    names = _tea_with_two_young_people(live_server, unique_surname("Achebe"), account["email"])

    helper = new_visitor("door helper")
    helper.page.set_viewport_size(PHONE)
    sign_in(helper, live_server, account)
    helper.follow("Door list: Celebration tea (demo)")
    expect(helper.h1()).to_have_text("Door list: Celebration tea (demo)")
    _no_sideways_scroll(helper)

    helper.fill("Search by first name", names["zuri"].split()[0][:6].lower())
    helper.press("Search")
    row = helper.page.locator(".govuk-summary-card", has=helper.page.get_by_role("heading", name=names["zuri"]))
    expect(row).to_contain_text("No photos")
    expect(row).to_contain_text("Access: Wheelchair space")
    expect(row).to_contain_text("Note: Meet her at the side door")
    expect(row).to_contain_text("Name read out: first name")
    expect(row).to_contain_text("Not here yet")
    _no_sideways_scroll(helper)

    helper.press(f"Check in {names['zuri']} and 2 guests")
    expect(helper.banner()).to_contain_text(f"Checked in: {names['zuri']}, Mum and Kit (brother).")
    row = helper.page.locator(".govuk-summary-card", has=helper.page.get_by_role("heading", name=names["zuri"]))
    expect(row.locator(".govuk-tag--green")).to_have_count(3)
    expect(row.get_by_role("button", name=f"Check in {names['zuri']} and 2 guests")).to_have_count(0)
    _no_sideways_scroll(helper)

    # The restricted young person: one plain marker, never the note.
    helper.fill("Search by first name", names["quin"].split()[0])
    helper.press("Search")
    row = helper.page.locator(".govuk-summary-card", has=helper.page.get_by_role("heading", name=names["quin"]))
    expect(row).to_contain_text("Speak to an organiser")
    assert SECRET not in helper.page.content()
    expect(row).to_contain_text("A late guest? Speak to an organiser.")

    helper.follow("Printable door list")
    assert SECRET not in helper.page.content()
    expect(helper.page.locator("main")).to_contain_text(names["zuri"])
