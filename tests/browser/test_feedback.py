"""Feedback in a real browser: an organiser closes an event that has happened; a young person
opens the feedback link from their email on a phone (375 px), answers, and sees the thank-you
page; the organiser reads the answers. axe checks every page on arrival."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import (
    error_beside,
    live_db,
    signed_in_organiser,
    unique_surname,
)

PHONE = {"width": 375, "height": 740}


def _event_that_happened(live_server, surname: str, email: str) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.invitations.models import InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    with live_db(live_server) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = create_event(kind=EventKind.OTHER, name=f"Picnic {surname[-6:]}", starts_at=utcnow() - timedelta(hours=3), venue="Riverside Park",
                             capacity=50, description="", min_age=11, max_age=25, by=organiser)
        person = create_young_person({"first_name": "Nia", "last_name": surname, "date_of_birth": date(2008, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
        person.email = email
        invitation = services.invite(event, person, by=organiser)
        invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, utcnow() - timedelta(days=9), ReplyHow.LINK
        db.session.commit()
        return {"event": event.public_id, "name": event.name}


def _no_sideways_scroll(visitor, width: int):
    scroll = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{visitor.path} scrolls sideways at {width} px ({scroll} px wide)"


def test_organiser_closes_an_event_and_a_young_person_answers_on_a_phone(new_visitor, live_server, smtp_sink):
    surname = unique_surname("Okafor")
    email = f"nia.{surname.lower()}@young.example.org"
    facts = _event_that_happened(live_server, surname, email)

    organiser, _ = signed_in_organiser(new_visitor, live_server, "Olu Organiser")
    organiser.visit(f"/events/{facts['event']}")
    organiser.follow("Close this event")
    expect(organiser.h1()).to_have_text("Close this event")
    expect(organiser.page.locator("main")).to_contain_text("makes attendance final")
    organiser.press("Close the event and send feedback links")
    expect(organiser.h1()).to_have_text("What young people told us")
    expect(organiser.banner()).to_contain_text("1 feedback link queued")

    message = smtp_sink.wait_for(email)[0]
    assert message["subject"] == "Tell us what you think"
    link = smtp_sink.link(message)
    assert link.startswith("/f/")

    nia = new_visitor("young person")
    nia.page.set_viewport_size(PHONE)
    nia.visit(link)
    assert nia.path == "/feedback"  # the token is gone from the address
    expect(nia.h1()).to_have_text("Tell us what you think")
    _no_sideways_scroll(nia, PHONE["width"])

    # Too long an answer: the error is beside the field and nothing typed is lost.
    radio(nia, "I feel proud of my achievements", "Completely").check()
    radio(nia, "I feel good about my future", "Mostly").check()
    radio(nia, "I feel supported and cared for", "Somewhat").check()
    radio(nia, "I feel able to share my views and feelings", "Prefer not to say").check()
    box = nia.field("What should we do differently next time? (optional)")
    box.fill("Play more music. " * 70)
    nia.press("Send my answers")
    expect(nia.error_summary()).to_be_visible()
    error_beside(nia, box, "1,000 characters or fewer")
    expect(radio(nia, "I feel proud of my achievements", "Completely")).to_be_checked()
    _no_sideways_scroll(nia, PHONE["width"])

    nia.field("What should we do differently next time? (optional)").fill("Play more music.")
    nia.press("Send my answers")
    expect(nia.h1()).to_contain_text("Thank you")
    assert nia.path == "/feedback/thank-you"
    _no_sideways_scroll(nia, PHONE["width"])

    # The same link again: thanks, we already have your answers.
    nia.visit(link)
    expect(nia.h1()).to_have_text("Thank you, we already have your answers")

    organiser.visit(f"/events/{facts['event']}/feedback")
    expect(organiser.page.locator("main")).to_contain_text("1 answer from 1 young person")
    expect(organiser.page.locator("main")).to_contain_text("Play more music.")
