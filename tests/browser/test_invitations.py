"""Invitations in a real browser: a young person replies from the link in their email (on a
320 px wide phone), an organiser records a phone reply and downloads the guest list, a
nominator replies for a young person they nominated. Every page is checked with axe on arrival."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import (
    error_beside,
    live_db,
    sign_in,
    signed_in_organiser,
    unique_surname,
)

PHONE = {"width": 320, "height": 640}


def _no_sideways_scroll(visitor):
    width = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{visitor.path} scrolls sideways at 320 px ({width} px wide)"


def invitation_for(live_server, *, email: str | None, surname: str, nominator_email: str | None = None, send: bool = True, capacity: int = 100):
    """A new event with one young person invited (and, if asked, the invitation sent)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.nominations.models import Nomination, NominationStatus
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    with live_db(live_server) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = create_event(kind=EventKind.OTHER, name=f"Celebration {surname[-6:]}", starts_at=utcnow() + timedelta(days=40), venue="Riverside Hall",
                             capacity=capacity, description="", min_age=11, max_age=25, by=organiser)
        services.settings_for(event).reply_by = utcnow() + timedelta(days=20)
        person = create_young_person({"first_name": "Imani", "last_name": surname, "date_of_birth": date(2007, 5, 9), "care_status": CareStatus.CARE_LEAVER}, by=organiser)
        person.email = email or ""
        invitation = services.invite(event, person, by=organiser)
        if nominator_email:
            # They nominated her, and an organiser linked them to her (nominating alone gives nothing).
            from cpevents.young_people.models import WorkerRelationship
            from cpevents.young_people.services import link_worker

            nominator = user_by_email(nominator_email)
            db.session.add(Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, young_person_id=person.id,
                                      first_name="Imani", last_name=surname, date_of_birth=person.date_of_birth, care_status=CareStatus.CARE_LEAVER))
            link_worker(person, nominator_email, WorkerRelationship.PERSONAL_ADVISER, by=organiser)
        if send:
            services.send_invitations(event, by=organiser)
        db.session.commit()
        return {"event": event.public_id, "invitation": invitation.public_id, "name": f"Imani {surname}", "event_name": event.name}


def _status(live_server, public_id: str):
    from cpevents.invitations.models import Invitation

    with live_db(live_server) as db:
        invitation = db.session.execute(db.select(Invitation).filter_by(public_id=public_id)).scalar_one()
        return invitation.status.value, [(g.name, g.age_group.value) for g in invitation.guests], invitation.dietary_codes, invitation.replied_how.value if invitation.replied_how else None


def test_young_person_replies_from_the_email_on_a_phone_changes_and_declines(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Adeyemi")
    email = f"imani.{surname.lower()}@young.example.org"
    facts = invitation_for(live_server, email=email, surname=surname)
    message = smtp_sink.wait_for(email)[0]
    assert message["subject"] == "An invitation for you"
    link = smtp_sink.link(message)
    assert link.startswith("/i/")

    imani = new_visitor("young person")
    imani.page.set_viewport_size(PHONE)
    imani.visit(link)
    assert imani.path == "/invitation"  # the token is gone from the address
    expect(imani.h1()).to_have_text("Your invitation, Imani")
    _no_sideways_scroll(imani)

    # Keyboard: choose "yes" and continue without a mouse.
    yes = radio(imani, "Can you come?", "Yes, I can come")
    yes.focus()
    imani.page.keyboard.press("Space")
    expect(yes).to_be_checked()
    with imani.page.expect_navigation():
        imani.page.get_by_role("button", name="Continue").focus()
        imani.page.keyboard.press("Enter")
    imani._landed()
    expect(imani.h1()).to_have_text("Your guests")
    _no_sideways_scroll(imani)

    # A guest without a name: a clear message beside the field, and what was typed stays.
    imani.fill("How many guests will come with you?", "2")
    imani.fill("Guest 1: name", "Aunt Grace")
    radio(imani, "Guest 1: adult or child?", "Adult").check()
    imani.press("Continue")
    error_beside(imani, imani.field("Guest 2: name"), "Enter the name of guest 2")
    expect(imani.field("Guest 1: name")).to_have_value("Aunt Grace")
    _no_sideways_scroll(imani)
    imani.fill("Guest 2: name", "Tayo")
    radio(imani, "Guest 2: adult or child?", "Child (under 18)").check()
    imani.press("Continue")

    expect(imani.h1()).to_have_text("What you need on the day")
    _no_sideways_scroll(imani)
    imani.page.get_by_role("group", name="Food and drink needs").get_by_label("Halal").check()
    expect(imani.page.get_by_label("Photos of me may be taken at the event")).not_to_be_checked()
    # Issue 16: no answer is chosen for her.
    expect(radio(imani, "How should your name be read out on stage?", "First name only")).not_to_be_checked()
    radio(imani, "How should your name be read out on stage?", "First name only").check()
    imani.press("Continue")

    expect(imani.h1()).to_have_text("Check your answers")
    expect(imani.page.locator(".govuk-summary-list")).to_contain_text("Aunt Grace (adult)")
    expect(imani.page.locator(".govuk-summary-list")).to_contain_text("Tayo (child)")
    expect(imani.page.locator(".govuk-summary-list")).to_contain_text("Halal")
    _no_sideways_scroll(imani)
    imani.press("Send my reply")
    expect(imani.page.locator(".govuk-panel__title")).to_have_text("You are coming")
    expect(imani.page.get_by_role("img", name="QR code to show at the door")).to_be_visible()
    _no_sideways_scroll(imani)
    assert _status(live_server, facts["invitation"])[:3] == ("coming", [("Aunt Grace", "adult"), ("Tayo", "child")], ["halal"])
    confirmation = [m for m in smtp_sink.wait_for(email, count=2) if m["subject"] == "Your reply to your invitation"]
    assert confirmation and "Riverside Hall" in smtp_sink.text(confirmation[0])

    # Change the reply: one guest fewer.
    imani.follow("See or change your reply")
    imani.follow("Change your reply")
    expect(radio(imani, f"Can you come to {facts['event_name']}?", "Yes, I can come")).to_be_checked()
    imani.press("Continue")
    expect(imani.field("Guest 2: name")).to_have_value("Tayo")
    imani.fill("How many guests will come with you?", "1")
    imani.press("Continue")
    imani.press("Continue")
    imani.press("Send my reply")
    assert _status(live_server, facts["invitation"])[1] == [("Aunt Grace", "adult")]

    # Then decline.
    imani.follow("See or change your reply")
    imani.follow("Change your reply")
    radio(imani, f"Can you come to {facts['event_name']}?", "No, I cannot come").check()
    imani.press("Continue")
    expect(imani.h1()).to_have_text("Check your answers")
    _no_sideways_scroll(imani)
    imani.press("Send my reply")
    expect(imani.page.locator(".govuk-panel__title")).to_have_text("Reply sent")
    _no_sideways_scroll(imani)
    assert _status(live_server, facts["invitation"])[:2] == ("not_coming", [])


def test_a_bad_link_gets_the_plain_page(new_visitor, live_server):
    visitor = new_visitor()
    visitor.page.set_viewport_size(PHONE)
    response = visitor.visit("/i/this-is-not-a-real-link-at-all")
    assert response.status == 404
    expect(visitor.h1()).to_have_text("This link does not work")
    _no_sideways_scroll(visitor)


def test_organiser_records_a_phone_reply_and_downloads_the_guest_list(new_visitor, live_server, tmp_path: Path):
    surname = unique_surname("Walker")
    facts = invitation_for(live_server, email=None, surname=surname)
    olivia, _ = signed_in_organiser(new_visitor, live_server, "Olivia Phone")
    olivia.visit(f"/events/{facts['event']}")
    olivia.follow("Invitations and guest list")
    expect(olivia.h1()).to_have_text("Invitations and guest list")
    expect(olivia.page.locator("#counts")).to_contain_text("Not replied: 1")
    olivia.follow(facts["name"])
    olivia.follow("Record a reply given by phone or on paper")
    radio(olivia, "Can they come?", "Yes, I can come").check()
    olivia.fill("How many guests will come with them?", "1")
    olivia.fill("Guest 1: name", "Nan")
    radio(olivia, "Guest 1: adult or child?", "Adult").check()
    olivia.page.get_by_role("group", name="Their access needs").get_by_label("Wheelchair space").check()
    radio(olivia, "How should their name be read out on stage?", "First name only").check()  # issue 16: not chosen for them
    olivia.press("Save the reply")
    expect(olivia.banner()).to_contain_text("Reply saved: coming")
    expect(olivia.page.locator(".govuk-summary-list")).to_contain_text("organiser (phone or paper)")
    assert _status(live_server, facts["invitation"])[3] == "organiser"
    olivia.follow("Back to the guest list")
    expect(olivia.page.locator("#counts")).to_contain_text("Young people coming: 1")
    expect(olivia.page.locator("#counts")).to_contain_text("Guests coming: 1")
    with olivia.page.expect_download() as info:
        olivia.page.get_by_role("link", name="Guest list (CSV)").click()
    download = info.value
    assert download.failure() is None
    target = tmp_path / "guests.csv"
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r[1] == surname)
    assert row[4] == "Coming" and row[6] == "Organiser (phone or paper)" and row[8] == "Nan (adult)" and row[11] == "Wheelchair space"
    olivia.follow("Needs summary for the venue (no names)")
    expect(olivia.h1()).to_have_text("Needs summary for the venue")
    expect(olivia.page.get_by_role("main")).not_to_contain_text("Imani")
    expect(olivia.page.get_by_role("main")).not_to_contain_text("Nan")


def test_a_linked_nominator_replies_for_a_young_person(new_visitor, live_server):
    account = live_server.make_account("nominator", name="Nora Nominator")
    surname = unique_surname("Okafor")
    facts = invitation_for(live_server, email=None, surname=surname, nominator_email=account["email"], send=False)
    nora = new_visitor("nominator")
    sign_in(nora, live_server, account)
    nora.follow("Invitations for your young people")
    expect(nora.page.get_by_role("main")).to_contain_text("Imani")
    expect(nora.page.get_by_role("main")).not_to_contain_text(surname)  # first name only
    nora.follow("Reply for Imani")
    nora.press("Save the reply")
    expect(nora.error_summary()).to_contain_text("Select yes, no or not sure yet")
    expect(nora.page.locator(".govuk-form-group--error .govuk-error-message")).to_contain_text("Select yes, no or not sure yet")
    radio(nora, "Can they come?", "I'm not sure yet").check()
    nora.press("Save the reply")
    expect(nora.banner()).to_contain_text("Reply saved: not sure yet")
    assert _status(live_server, facts["invitation"])[::3] == ("not_sure", "worker")
