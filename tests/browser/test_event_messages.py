"""Issue 17, part E: an organiser writes a message to the young people coming to an event, forgets
the message (error beside the field, subject kept), previews it (the restricted young person's fixed
message shown), goes back to change it, sends it, and reads it later on the event's Messages page.
Desktop and a 375 px phone, axe on every page."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_invitation_on_a_phone import PHONE, _no_sideways_scroll
from tests.browser.test_records_and_email import error_beside, live_db, signed_in_organiser


def _event_with_people(live_server, organiser_email: str) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.invitations.models import InvitationStatus
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    tag = uuid.uuid4().hex[:6]
    with live_db(live_server, request=True) as db:
        organiser = user_by_email(organiser_email)
        starts = (utcnow() + timedelta(days=40)).replace(second=0, microsecond=0)
        event = create_event(kind=EventKind.OTHER, name=f"Autumn get-together {tag}", starts_at=starts, venue="Riverside Hall",
                             capacity=100, description="", min_age=11, max_age=25, by=organiser)
        emails = []
        for n, (restricted, email) in enumerate(((False, True), (True, True), (False, False))):
            person = create_young_person({"first_name": "Ola", "last_name": f"Message{tag}{n}", "date_of_birth": date(2008, 6, 2),
                                          "care_status": CareStatus.IN_CARE}, by=organiser)
            person.email = f"ola{n}.{tag}@young.example.org" if email else ""
            person.contact_restriction = restricted
            invitation = services.invite(event, person, by=organiser)
            invitation.status = InvitationStatus.COMING
            emails.append(person.email)
        db.session.commit()
        return {"id": event.public_id, "name": event.name, "emails": emails, "tag": tag}


def _write(visitor, event):
    visitor.visit(f"/events/{event['id']}")
    visitor.follow("Messages to the people coming")
    expect(visitor.h1()).to_have_text("Messages")
    expect(visitor.page.locator("#no-messages")).to_be_visible()
    visitor.click(visitor.page.get_by_role("button", name="Write a message"))
    expect(visitor.h1()).to_have_text("Write a message")
    visitor.page.get_by_role("radio", name=re.compile(r"Young people coming \(or offered a place\): 2 by email, 1 without email")).check()


def test_organiser_writes_previews_changes_and_sends_a_message(new_visitor, live_server, smtp_sink):
    visitor, account = signed_in_organiser(new_visitor, live_server, "Mo Organiser")
    event = _event_with_people(live_server, account["email"])
    _write(visitor, event)

    # Bad input: the message forgotten. The subject typed is kept.
    visitor.fill("Subject", "Meet at Riverside Hall")
    visitor.press("Preview the message")
    expect(visitor.error_summary()).to_be_visible()
    error_beside(visitor, visitor.field("Message"), "Enter the message")
    expect(visitor.field("Subject")).to_have_value("Meet at Riverside Hall")
    visitor.fill("Message", "We meet at Riverside Hall at six.\n\nBring a friend.")
    visitor.press("Preview the message")

    expect(visitor.h1()).to_have_text("Check the message before it goes")
    expect(visitor.page.locator("#preview")).to_contain_text("We meet at Riverside Hall at six.")
    expect(visitor.page.locator("#private-preview")).to_contain_text("speak to your worker")
    expect(visitor.page.locator("#private-preview")).not_to_contain_text("Riverside")
    expect(visitor.page.get_by_text(re.compile(r"Ola Message\w+2: no worker linked"))).to_be_visible()
    visitor.press("Change the message")
    expect(visitor.h1()).to_have_text("Write a message")
    expect(visitor.field("Message")).to_have_value("We meet at Riverside Hall at six.\n\nBring a friend.")
    visitor.fill("Subject", "See you on the day")
    visitor.press("Preview the message")
    expect(visitor.page.locator("#preview-subject")).to_have_text("See you on the day")
    visitor.press("Send the message to 2 people")

    expect(visitor.h1()).to_have_text("See you on the day")
    expect(visitor.banner()).to_contain_text("Message queued to 2 people")
    expect(visitor.page.locator("#message-text")).to_contain_text("Bring a friend.")
    visitor.follow("Back to messages")
    expect(visitor.page.locator("#messages")).to_contain_text("See you on the day")
    told = smtp_sink.wait_for(event["emails"][0])[0]
    assert "Bring a friend." in smtp_sink.text(told) and told["subject"] == "See you on the day"
    hidden = smtp_sink.wait_for(event["emails"][1])[0]
    assert "Riverside" not in smtp_sink.text(hidden) and "speak to your worker" in smtp_sink.text(hidden)


def test_organiser_sends_a_message_on_a_phone(new_visitor, live_server, smtp_sink):
    visitor, account = signed_in_organiser(new_visitor, live_server, "Pip Organiser")
    visitor.page.set_viewport_size(PHONE)
    event = _event_with_people(live_server, account["email"])
    _write(visitor, event)
    _no_sideways_scroll(visitor)
    visitor.fill("Subject", "A short note")
    visitor.fill("Message", "Thank you for replying.")
    visitor.press("Preview the message")
    _no_sideways_scroll(visitor)
    visitor.press("Send the message to 2 people")
    expect(visitor.h1()).to_have_text("A short note")
    _no_sideways_scroll(visitor)
    visitor.follow("Back to messages")
    expect(visitor.page.locator("#messages")).to_contain_text("A short note")
    _no_sideways_scroll(visitor)
