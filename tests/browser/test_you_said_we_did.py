""""You said, we did" in a real browser: an organiser of a past, closed event writes what changed
because of the feedback (an empty form first: the error is beside the field), checks the email and
sends it once; the young person gets it by email and sees the points when they open their
feedback link on a phone (375 px). axe checks every page on arrival (see conftest)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_records_and_email import error_beside, live_db, sign_in, unique_surname

PHONE = {"width": 375, "height": 667}
POINTS = [
    "You said the music was too loud, so we will have a quiet room",
    "You said the sandwiches were dull, so next time there will be pizza",
]


def _closed_event_with_a_feedback_link(live_server, organiser_email: str, surname: str, email: str) -> dict:
    """An event that started three hours ago and is now closed (so its feedback links went out),
    with one young person who came and has an email address; plus a feedback link of the test's
    own for them (only its hash is kept, so the test makes one to know the token)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.feedback import services as feedback
    from cpevents.invitations import services
    from cpevents.invitations.models import InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email(organiser_email)
        event = create_event(kind=EventKind.OTHER, name=f"Bowling night {surname[-6:]}", starts_at=utcnow() - timedelta(hours=3),
                             venue="Riverside Bowl", capacity=40, description="", min_age=11, max_age=25, by=organiser)
        person = create_young_person({"first_name": "Tayo", "last_name": surname, "date_of_birth": date(2008, 2, 14),
                                      "care_status": CareStatus.IN_CARE}, by=organiser)
        person.email = email
        invitation = services.invite(event, person, by=organiser)
        invitation.status, invitation.replied_at, invitation.replied_how = InvitationStatus.COMING, utcnow() - timedelta(days=7), ReplyHow.LINK
        db.session.flush()
        closed = feedback.close_event(event, by=organiser)
        assert closed.emailed == 1
        link = feedback.issue_link(invitation)
        db.session.commit()
        return {"event": event.public_id, "name": event.name, "link": "/f/" + link.rsplit("/f/", 1)[1]}


def _no_sideways_scroll(visitor, width: int):
    scroll = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{visitor.path} scrolls sideways at {width} px ({scroll} px wide)"


def test_organiser_writes_checks_and_sends_you_said_we_did_and_the_young_person_sees_it_on_a_phone(
        new_visitor, live_server, smtp_sink, second_factor_account):
    account = second_factor_account("organiser", name="Omar Organiser")
    surname = unique_surname("Adeyemi")
    email = f"tayo.{surname.lower()}@young.example.org"
    facts = _closed_event_with_a_feedback_link(live_server, account["email"], surname, email)
    # The feedback-link email that closing queued: delivered now, so what follows is only "You said, we did".
    (first,) = smtp_sink.wait_for(email)
    assert first["subject"] == "Tell us what you think"
    smtp_sink.clear()

    organiser = new_visitor("organiser")
    sign_in(organiser, live_server, account)
    organiser.visit(f"/events/{facts['event']}/feedback")
    expect(organiser.h1()).to_have_text("What young people told us")
    organiser.follow("Write “You said, we did”")
    expect(organiser.h1()).to_have_text("You said, we did")
    box = organiser.field("What did you change because of the feedback?")
    expect(box).to_be_visible()

    # Sent empty: status 400, the error summary and the message beside the field.
    with organiser.page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/you-said-we-did")) as sent_empty:
        organiser.press("Continue")
    assert sent_empty.value.status == 400
    assert organiser.page.title().startswith(f"Error: You said, we did: {facts['name']}")
    expect(organiser.error_summary()).to_be_visible()
    expect(organiser.error_summary()).to_contain_text("Write at least one thing you changed because of the feedback")
    error_beside(organiser, organiser.field("What did you change because of the feedback?"),
                 "Write at least one thing you changed because of the feedback")
    organiser.error_summary().get_by_role("link", name="Write at least one thing you changed because of the feedback").click()
    expect(organiser.field("What did you change because of the feedback?")).to_be_focused()  # the summary leads to the field

    # Two points, one a line, typed as an organiser would.
    box = organiser.field("What did you change because of the feedback?")
    box.focus()
    organiser.page.keyboard.type(POINTS[0])
    organiser.page.keyboard.press("Enter")
    organiser.page.keyboard.type(POINTS[1])
    organiser.press("Continue")

    expect(organiser.h1()).to_have_text("Check “You said, we did” before sending")
    main = organiser.page.locator("main")
    expect(main).to_contain_text("You said, we did: what we changed")  # the subject
    expect(main).to_contain_text("It goes to 1 young person by email")
    points = organiser.page.locator(".govuk-inset-text li")
    expect(points).to_have_text(POINTS)
    organiser.press("Send it")

    expect(organiser.h1()).to_have_text("What young people told us")
    assert organiser.path == f"/events/{facts['event']}/feedback"
    expect(organiser.banner()).to_contain_text("“You said, we did” sent. 1 email queued.")
    expect(main).to_contain_text("Sent on")
    expect(organiser.page.locator("ul.app-you-said-we-did li")).to_have_text(POINTS)
    expect(organiser.page.get_by_role("link", name="Write “You said, we did”", exact=True)).to_have_count(0)

    # The email: neutral subject, the points, greeted by name, no personal link.
    (message,) = smtp_sink.wait_for(email)
    assert message["subject"] == "You said, we did: what we changed"
    text = smtp_sink.text(message)
    assert all(point in text for point in POINTS) and "Tayo" in text
    assert "/f/" not in text and "/f/" not in smtp_sink.html(message)

    # The young person opens their feedback link on a phone and sees what changed.
    tayo = new_visitor("young person")
    tayo.page.set_viewport_size(PHONE)
    tayo.visit(facts["link"])
    assert tayo.path == "/feedback"  # the token is gone from the address
    expect(tayo.h1()).to_have_text("Tell us what you think")
    expect(tayo.page.get_by_role("heading", name="You said, we did", exact=True)).to_be_visible()
    expect(tayo.page.locator("ul.app-you-said-we-did li")).to_have_text(POINTS)
    expect(tayo.page.locator("main")).to_contain_text(f"Because of what young people told us about {facts['name']}")
    _no_sideways_scroll(tayo, PHONE["width"])
