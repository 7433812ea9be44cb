"""Issue 17, part D: an organiser moves an event to another venue, is asked whether to tell the
people with a place, clears the message by mistake (error beside the field), then sends it; and
cancels another event without telling anyone. Desktop and a 375 px phone, axe on every page."""

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
        event = create_event(kind=EventKind.OTHER, name=f"Summer celebration {tag}", starts_at=starts, venue="Riverside Hall",
                             capacity=100, description="", min_age=11, max_age=25, by=organiser)
        emails = []
        for n, restricted in enumerate((False, True)):
            person = create_young_person({"first_name": "Ola", "last_name": f"Notice{tag}{n}", "date_of_birth": date(2008, 6, 2),
                                          "care_status": CareStatus.IN_CARE}, by=organiser)
            person.email = f"ola{n}.{tag}@young.example.org"
            person.contact_restriction = restricted
            invitation = services.invite(event, person, by=organiser)
            invitation.status = InvitationStatus.COMING
            emails.append(person.email)
        db.session.commit()
        return {"id": event.public_id, "name": event.name, "emails": emails}


def test_organiser_tells_people_about_a_new_venue(new_visitor, live_server, smtp_sink):
    visitor, account = signed_in_organiser(new_visitor, live_server, "Nia Organiser")
    event = _event_with_people(live_server, account["email"])
    visitor.visit(f"/events/{event['id']}")
    expect(visitor.h1()).to_have_text(event["name"])
    visitor.follow("Change the event details")
    visitor.fill("Venue", "Town Hall, Council Chamber")
    visitor.press("Save event")

    expect(visitor.h1()).to_have_text("Tell people about the change?")
    expect(visitor.banner()).to_contain_text("Now choose whether to tell the people with a place")
    expect(visitor.page.locator("#reach-total")).to_have_text("2 emails in all.")
    expect(visitor.page.locator("#private-message")).to_contain_text("speak to your worker")
    message = visitor.field("The message")
    expect(message).to_have_value(re.compile(r"The venue was Riverside Hall\. It is now Town Hall, Council Chamber\."))

    # Bad input: the message emptied by mistake.
    message.fill("")
    visitor.press("Send the message to 2 people")
    expect(visitor.error_summary()).to_be_visible()
    error_beside(visitor, visitor.field("The message"), "Enter the message to send")
    visitor.fill("The message", "We have moved to Town Hall, Council Chamber. Same time, same day.")
    visitor.press("Send the message to 2 people")

    expect(visitor.h1()).to_have_text(event["name"])
    expect(visitor.banner()).to_contain_text("Message queued to 2 people")
    expect(visitor.page.locator("#changes")).to_contain_text("2 people were emailed")
    told = smtp_sink.wait_for(event["emails"][0])[0]
    assert "Same time, same day" in smtp_sink.text(told)
    hidden = smtp_sink.wait_for(event["emails"][1])[0]
    assert "Town Hall" not in smtp_sink.text(hidden) and "speak to your worker" in smtp_sink.text(hidden)

    visitor.follow("See venue changed")
    expect(visitor.h1()).to_have_text("Venue changed")


def test_organiser_cancels_an_event_on_a_phone_without_telling_anyone(new_visitor, live_server, smtp_sink):
    visitor, account = signed_in_organiser(new_visitor, live_server, "Rae Organiser")
    visitor.page.set_viewport_size(PHONE)
    event = _event_with_people(live_server, account["email"])
    visitor.visit(f"/events/{event['id']}")
    visitor.follow("Cancel this event")
    expect(visitor.h1()).to_have_text("Cancel this event")
    _no_sideways_scroll(visitor)
    visitor.press("Cancel the event")
    expect(visitor.h1()).to_have_text("Tell people the event is cancelled?")
    _no_sideways_scroll(visitor)
    visitor.press("Do not tell anyone")
    expect(visitor.h1()).to_contain_text(event["name"])
    expect(visitor.page.locator("#cancelled")).to_contain_text("This event was cancelled")
    expect(visitor.page.locator("#changes")).to_contain_text("chose not to tell anyone")
    _no_sideways_scroll(visitor)
    smtp_sink.deliver()
    assert smtp_sink.to(event["emails"][0]) == []
