"""Issue 20: the young person's invitation on a 375 px wide phone, with axe on every page.

The invitation says what the evening is (in the organiser's words), why they are invited (the award
they are shortlisted for) and that it is free; the needs page opens the "Something else" box only
when it is chosen and asks what travel help is needed; each "Change" link says what it changes; the
answer is sent. And when other young people's guests have taken every other place, the young
person still gets theirs and their guest waits."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import live_db, unique_surname

PHONE = {"width": 375, "height": 667}
DESCRIPTION = ("An evening of awards, music and a buffet dinner with everyone who helped you get here.\n\n"
               "It is free. We pay for taxis and train tickets, or someone can meet you at the station.")


def _no_sideways_scroll(visitor):
    width = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{visitor.path} scrolls sideways at {PHONE['width']} px ({width} px wide)"


def _invited(live_server, surname: str, *, capacity: int = 100, shortlisted: bool = True, others_with_guests: int = 0) -> dict:
    """A new event with the organiser's description; one young person invited (shortlisted for an
    award if asked), and `others_with_guests` other young people already coming with 2 guests each."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import AwardCategory, EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
    from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = create_event(kind=EventKind.PROUD_AWARDS, name=f"Awards night {surname[-6:]}", starts_at=utcnow() + timedelta(days=40),
                             venue="Riverside Hall", capacity=capacity, description=DESCRIPTION, min_age=11, max_age=25, by=organiser)
        settings = services.settings_for(event)
        settings.reply_by = utcnow() + timedelta(days=20)
        person = create_young_person({"first_name": "Zara", "last_name": surname, "date_of_birth": date(2008, 6, 2), "care_status": CareStatus.IN_CARE},
                                     by=organiser)
        person.email = f"zara.{surname.lower()}@young.example.org"
        invitation = services.invite(event, person, by=organiser)
        if shortlisted:
            from cpevents.judging.models import DecisionKind
            from cpevents.judging.services import create_panel, decide
            from cpevents.nominations.review import match_nomination

            category = AwardCategory(event_id=event.id, name="Creative Arts", position=1)
            db.session.add(category)
            panel = create_panel(event, by=organiser)
            nominator = user_by_email(live_server.account("nominator")["email"])
            nomination = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name="Zara", last_name=surname,
                                    date_of_birth=person.date_of_birth, care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER,
                                    young_person_knows=YesNo.YES)
            db.session.add(nomination)
            db.session.flush()
            file = match_nomination(nomination, person, by=organiser)
            file.status, file.category_id = FileStatus.ACCEPTED, category.id
            db.session.flush()
            decide(panel, file, DecisionKind.SHORTLIST, True, "A strong file", by=organiser)
        for n in range(others_with_guests):
            other = create_young_person({"first_name": f"Other{n}", "last_name": surname, "date_of_birth": date(2007, 1, 1), "care_status": CareStatus.IN_CARE},
                                        by=organiser)
            reply = services.Reply(attending=InvitationStatus.COMING, guests=[("Mum", AgeGroup.ADULT), ("Dad", AgeGroup.ADULT)])
            services.record_reply(services.invite(event, other, by=organiser), reply, by=organiser, how=ReplyHow.ORGANISER)
        link = services.issue_link(invitation)
        db.session.commit()
        return {"invitation": invitation.public_id, "event_name": event.name, "link": "/i/" + link.rsplit("/i/", 1)[1], "email": person.email}


def _invitation(live_server, public_id: str):
    from cpevents.invitations.models import Invitation

    with live_db(live_server) as db:
        invitation = db.session.execute(db.select(Invitation).filter_by(public_id=public_id)).scalar_one()
        return {
            "status": invitation.status.value,
            "dietary": invitation.dietary_codes,
            "dietary_other": invitation.dietary_other,
            "travel": (invitation.travel_help, invitation.travel_details),
            "guests": [(g.name, g.has_place, g.dietary_codes) for g in invitation.guests],
        }


def _start(new_visitor, facts):
    zara = new_visitor("young person")
    zara.page.set_viewport_size(PHONE)
    zara.visit(facts["link"])
    expect(zara.h1()).to_have_text("Your invitation, Zara")
    return zara


def test_the_invitation_on_a_phone_says_what_why_and_free_and_the_needs_page_asks_only_what_applies(new_visitor, live_server):
    facts = _invited(live_server, unique_surname("Okafor"))
    zara = _start(new_visitor, facts)
    _no_sideways_scroll(zara)
    # What the evening is, in the organiser's words; why she is invited; that it is free, food and travel.
    expect(zara.page.locator("#why")).to_contain_text("You have been shortlisted for the Creative Arts award")
    expect(zara.page.get_by_role("heading", name="About the evening")).to_be_visible()
    expect(zara.page.get_by_text("An evening of awards, music and a buffet dinner")).to_be_visible()
    expect(zara.page.get_by_text("We pay for taxis and train tickets")).to_be_visible()
    good = zara.page.locator("#good-to-know")
    expect(good).to_contain_text("It is free for you and your guests")
    expect(good).to_contain_text("There is food and drink")
    expect(good).to_contain_text("We can help you get there and home again")

    radio(zara, "Can you come?", "Yes, I can come").check()
    zara.press("Continue")
    expect(zara.h1()).to_have_text("Your guests")
    _no_sideways_scroll(zara)
    zara.fill("How many guests will come with you?", "1")
    zara.fill("Guest 1: name", "Nan")
    radio(zara, "Guest 1: adult or child?", "Adult").check()
    # The guest's own needs: the "Something else" box opens only when it is chosen.
    guest_food = zara.page.get_by_role("group", name="Guest 1: food and drink needs")
    guest_other = zara.field("Guest 1: other food and drink needs")
    expect(guest_other).to_be_hidden()
    guest_food.get_by_label("Vegetarian").check()
    expect(guest_other).to_be_hidden()
    zara.press("Continue")

    expect(zara.h1()).to_have_text("What you need on the day")
    _no_sideways_scroll(zara)
    other = zara.field("What other food and drink needs?")
    expect(other).to_be_hidden()
    zara.page.get_by_role("group", name="Your food and drink needs").get_by_label("Something else").check()
    expect(other).to_be_visible()
    other.fill("No mushrooms please")
    travel = zara.field("What help with travel do you need?")
    expect(travel).to_be_hidden()
    zara.page.get_by_role("group", name="Do you need help with travel to the event?").get_by_label("I need help with travel").check()
    expect(travel).to_be_visible()
    radio(zara, "How should your name be read out on stage?", "First name only").check()  # issue 16: nothing chosen for her
    _no_sideways_scroll(zara)
    zara.press("Continue")
    # Travel help chosen but not said what: a message beside the box, what was typed kept.
    expect(zara.h1()).to_have_text("What you need on the day")
    expect(zara.error_summary()).to_contain_text("Tell us what help with travel is needed")
    expect(zara.field("What other food and drink needs?")).to_have_value("No mushrooms please")
    expect(zara.field("What help with travel do you need?")).to_be_visible()
    zara.fill("What help with travel do you need?", "A taxi from home")
    zara.press("Continue")

    expect(zara.h1()).to_have_text("Check your answers")
    _no_sideways_scroll(zara)
    for what in ("if you can come", "your guests and their needs", "your food and drink needs", "your access needs",
                 "the help with travel you need", "whether photos of you may be taken", "how your name is read out on stage"):
        expect(zara.page.get_by_role("link", name=f"Change {what}", exact=True)).to_have_count(1)
    summary = zara.page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Nan (adult); food and drink: Vegetarian")
    expect(summary).to_contain_text("No mushrooms please")
    expect(summary).to_contain_text("Yes: A taxi from home")
    # A Change link goes to the question it names.
    zara.click(zara.page.get_by_role("link", name="Change the help with travel you need", exact=True))
    expect(zara.h1()).to_have_text("What you need on the day")
    assert zara.page.url.endswith("#travel-help")
    expect(zara.field("What help with travel do you need?")).to_have_value("A taxi from home")
    zara.press("Continue")
    zara.press("Send my reply")

    expect(zara.page.locator(".govuk-panel__title")).to_have_text("You are coming")
    _no_sideways_scroll(zara)
    saved = _invitation(live_server, facts["invitation"])
    assert saved["status"] == "coming" and saved["dietary"] == ["other"] and saved["dietary_other"] == "No mushrooms please"
    assert saved["travel"] == (True, "A taxi from home") and saved["guests"] == [("Nan", True, ["vegetarian"])]


def test_when_guests_have_taken_every_other_place_the_young_person_still_gets_theirs(new_visitor, live_server):
    # 7 places: 2 young people already coming with 2 guests each leaves 1 place, kept for Zara.
    facts = _invited(live_server, unique_surname("Mensah"), capacity=7, shortlisted=False, others_with_guests=2)
    zara = _start(new_visitor, facts)
    radio(zara, "Can you come?", "Yes, I can come").check()
    zara.press("Continue")
    zara.fill("How many guests will come with you?", "1")
    zara.fill("Guest 1: name", "Aunt Rose")
    radio(zara, "Guest 1: adult or child?", "Adult").check()
    zara.press("Continue")
    radio(zara, "How should your name be read out on stage?", "First name only").check()
    zara.press("Continue")
    zara.press("Send my reply")

    expect(zara.page.locator(".govuk-panel__title")).to_have_text("You are coming")
    waiting = zara.page.locator("#guests-waiting")
    expect(waiting).to_contain_text("Your place is yours")
    expect(waiting).to_contain_text("Aunt Rose is on the waiting list for a place")
    _no_sideways_scroll(zara)
    saved = _invitation(live_server, facts["invitation"])
    assert saved["status"] == "coming" and saved["guests"] == [("Aunt Rose", False, [])]
    # Her own page says so too, and offers the door code.
    zara.follow("See or change your reply")
    expect(zara.page.locator("#guests-waiting")).to_contain_text("Aunt Rose is on the waiting list for a place")
    expect(zara.page.get_by_role("img", name="QR code to show at the door")).to_be_visible()
    assert re.search(r"waiting list", zara.page.locator(".govuk-summary-list").first.inner_text()) is None
