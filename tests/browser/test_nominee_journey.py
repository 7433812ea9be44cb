"""Issue 16, done when: one young person's whole journey on a phone (375 x 667), with axe on every
page on arrival. Told they were nominated; they choose their name and add a few words for the
panel; the panel's shortlist reaches them; their invitation asks each consent separately; they
withdraw one later; after the evening they download their certificate, which says they won and
uses the name they chose."""

from __future__ import annotations

import io
from datetime import date, timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import live_db, unique_surname

PHONE = {"width": 375, "height": 667}


def _no_sideways_scroll(visitor) -> None:
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _nominated(live_server, surname: str, email: str) -> dict:
    """An awards evening six weeks away; the organiser accepts one nomination for judging (which
    tells the young person by email)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services as invitations
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import accept_file, match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("nominator@demo.example.org")
        event = create_event(kind=EventKind.PROUD_AWARDS, name=f"Awards evening {surname[-6:]}", starts_at=utcnow() + timedelta(days=42),
                             venue="County Hall", capacity=100, description="An evening of awards.", min_age=11, max_age=25, by=organiser)
        invitations.settings_for(event).reply_by = utcnow() + timedelta(days=20)
        category = event.categories[2]
        person = create_young_person({"first_name": "Oluwaseun", "last_name": surname, "date_of_birth": date(2008, 3, 9),
                                      "care_status": CareStatus.CARE_LEAVER}, by=organiser)
        person.email = email
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=category.id, status=NominationStatus.SENT,
                                first_name="Oluwaseun", last_name=surname, date_of_birth=date(2008, 3, 9), care_status=CareStatus.CARE_LEAVER,
                                relationship_type=WorkerRelationship.PERSONAL_ADVISER, worked_with_recently=True,
                                achievement="Oluwaseun set up a five-a-side league for the young people at the hostel.",
                                young_person_knows=YesNo.YES, public_concern=YesNo.NO)
        db.session.add(nomination)
        db.session.flush()
        file = match_nomination(nomination, person, by=organiser)
        accept_file(file, reason="", by=organiser)
        db.session.commit()
        return {"event": event.id, "file": file.id, "award": category.name}


def _shortlisted_and_invited(live_server, facts: dict) -> str:
    """The panel shortlists them (and, secretly, chooses them as the winner); the organiser releases
    the shortlist and invites them. Returns the invitation link's path."""
    from cpevents.accounts.models import user_by_email
    from cpevents.events.models import Event
    from cpevents.invitations import services as invitations
    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import create_panel, decide, release_shortlist
    from cpevents.nominations.models import NominationFile
    from tests.judging.helpers import ready_to_release

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = db.session.get(Event, facts["event"])
        file = db.session.get(NominationFile, facts["file"])
        panel = create_panel(event, by=organiser)
        db.session.commit()
        ready_to_release(event, panel, [file])
        decide(panel, file, DecisionKind.SHORTLIST, True, "A strong file", by=organiser)
        decide(panel, file, DecisionKind.WINNER, True, "The panel's choice", by=organiser)
        release_shortlist(panel, by=organiser, message="There were many brilliant nominations and only a few places.")
        invitation = invitations.invite(event, file.young_person, by=organiser)
        link = invitations.issue_link(invitation)
        db.session.commit()
        facts["panel"] = panel.id
        facts["invitation"] = invitation.public_id
        return "/i/" + link.rsplit("/i/", 1)[1]


def _the_evening_is_over(live_server, facts: dict) -> None:
    from cpevents.core.time import utcnow
    from cpevents.events.models import Event
    from cpevents.judging.models import Panel

    with live_db(live_server) as db:
        db.session.get(Event, facts["event"]).starts_at = utcnow() - timedelta(hours=3)
        db.session.get(Panel, facts["panel"]).results_published_at = utcnow()
        db.session.commit()


def _photos_ok(live_server, public_id: str) -> bool:
    from cpevents.invitations.models import Invitation

    with live_db(live_server) as db:
        return db.session.execute(db.select(Invitation).filter_by(public_id=public_id)).scalar_one().photos_ok


def test_a_nominee_on_a_phone_from_being_told_to_their_certificate(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Adebayo")
    email = f"seun.{surname.lower()}@young.example.org"
    facts = _nominated(live_server, surname, email)

    # 1. "You have been nominated": a neutral subject, and the link leaves no token in the address.
    told = smtp_sink.wait_for(email)[0]
    assert told["subject"] == "Some good news for you"
    seun = new_visitor("young person")
    seun.page.set_viewport_size(PHONE)
    seun.visit(smtp_sink.link(told))
    assert seun.path == "/nominated"
    expect(seun.h1()).to_have_text("Well done, Oluwaseun")
    expect(seun.page.locator("main")).not_to_contain_text(facts["award"])
    _no_sideways_scroll(seun)

    # 2. Their name, their choice: the name they go by, and how to say it.
    seun.fill("The name you want us to use", "")
    seun.press("Save my name")
    expect(seun.error_summary()).to_contain_text("Enter the name you want us to use")
    seun.fill("The name you want us to use", "Seun")
    radio(seun, "How should your name be shown, for example on stage or on a certificate?", "My first name only").check()
    seun.fill("How to say your name (optional)", "Shay-oon")
    seun.press("Save my name")
    expect(seun.banner()).to_contain_text("We will use your name the way you chose")
    expect(seun.field("The name you want us to use")).to_have_value("Seun")

    # 3. A few words of their own for the panel.
    seun.fill("Your words for the panel (optional)", "The league gave everyone a reason to get up on Saturdays.")
    seun.press("Save my words")
    expect(seun.banner()).to_contain_text("The panel will read your words")

    # 4. The shortlist reaches them (the winner stays secret), then their invitation.
    invitation_link = _shortlisted_and_invited(live_server, facts)
    update = [m for m in smtp_sink.wait_for(email, count=2) if m["subject"] == "An update for you"]
    assert update and "winner" not in smtp_sink.text(update[0]).lower() and " won" not in smtp_sink.text(update[0])
    seun.visit(smtp_sink.link(update[0]))
    expect(seun.page.locator("#decision")).to_have_text("You are on the shortlist")
    expect(seun.page.locator("main")).not_to_contain_text("winner")

    # 5. The invitation asks each consent separately, nothing chosen for them.
    seun.visit(invitation_link)
    radio(seun, "Can you come?", "Yes, I can come").check()
    seun.press("Continue")
    seun.fill("How many guests will come with you?", "0")
    seun.press("Continue")
    expect(seun.h1()).to_have_text("What you need on the day")
    _no_sideways_scroll(seun)
    photos = seun.page.get_by_label("Photos of me may be taken at the event")
    expect(photos).not_to_be_checked()
    uses = seun.page.get_by_role("group", name="After the event, may we use photos and a short story about you?")
    expect(uses.get_by_label("On the council website")).not_to_be_checked()
    photos.check()
    uses.get_by_label("On the council website").check()
    radio(seun, "How should your name be read out on stage?", "First name only").check()
    seun.press("Continue")
    expect(seun.h1()).to_have_text("Check your answers")
    seun.press("Send my reply")
    expect(seun.page.locator(".govuk-panel__title")).to_have_text("You are coming")
    assert _photos_ok(live_server, facts["invitation"])

    # 6. They change their mind about photos on the night: it counts at once.
    seun.follow("Your choices")
    expect(seun.h1()).to_have_text("Your choices")
    seun.page.get_by_label("Photos of me may be taken at the event").uncheck()
    seun.press("Save my choices")
    expect(seun.page.locator(".govuk-notification-banner")).to_contain_text("Your choices are saved")
    assert not _photos_ok(live_server, facts["invitation"])

    # 7. After the evening: the keepsake page and a certificate with the name they chose.
    _the_evening_is_over(live_server, facts)
    seun.visit("/nominated")
    seun.follow("See your certificate and what to keep")
    expect(seun.h1()).to_contain_text("Seun")
    expect(seun.page.locator("main")).to_contain_text(facts["award"])
    expect(seun.page.locator("main")).to_contain_text("The league gave everyone a reason")
    _no_sideways_scroll(seun)
    with seun.page.expect_download() as download:
        seun.page.get_by_role("link", name="Download your certificate (PDF)").click()
    text = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert "Seun" in text and surname not in text and "Oluwaseun" not in text
    assert facts["award"] in text and "winner" in text.lower()
