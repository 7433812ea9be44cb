"""Issue 17: the organisers' one list of letters to hand over (young people without email), on a
375 px phone and on a desktop, with axe on every page: reached from the to-do list, "No worker
linked" shown, marking one as handed over takes it off the list."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_invitation_on_a_phone import PHONE, _no_sideways_scroll
from tests.browser.test_records_and_email import live_db, signed_in_organiser, unique_surname


def _letter_without_worker(live_server, surname: str) -> str:
    from datetime import date

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        from datetime import timedelta

        organiser = user_by_email("organiser@demo.example.org")
        event = create_event(kind=EventKind.OTHER, name=f"Letters party {surname}", starts_at=utcnow() + timedelta(days=30), venue="Town Hall",
                             capacity=40, description="", min_age=11, max_age=25, by=organiser)
        person = create_young_person({"first_name": "Lettie", "last_name": surname, "date_of_birth": date(2009, 4, 1), "care_status": CareStatus.IN_CARE},
                                     by=organiser)
        services.invite(event, person, by=organiser)
        services.send_invitations(event, by=organiser)
        db.session.commit()
        return event.name


def test_the_organisers_letters_list_on_a_phone(new_visitor, live_server):
    surname = unique_surname("Post")
    event_name = _letter_without_worker(live_server, surname)
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Lou Letters")
    visitor.page.set_viewport_size(PHONE)
    visitor.visit("/organiser")
    visitor.click(visitor.page.get_by_role("link", name="Letters for young people without email, to hand over", exact=True))
    expect(visitor.h1()).to_have_text("Letters to hand over")
    _no_sideways_scroll(visitor)
    card = visitor.page.locator(".govuk-summary-card").filter(has_text=f"Lettie {surname}")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("No worker linked")
    expect(card).to_contain_text(event_name)
    expect(card.get_by_role("button", name=f"Print again the letter for Lettie {surname} (invitation)")).to_be_visible()
    visitor.click(card.get_by_role("button", name=f"Mark as handed over the letter for Lettie {surname} (invitation)"))
    expect(visitor.h1()).to_have_text("Letters to hand over")
    expect(visitor.page.locator(".govuk-notification-banner")).to_contain_text(f"Lettie {surname}")
    expect(visitor.page.locator(".govuk-summary-card").filter(has_text=f"Lettie {surname}")).to_have_count(0)
    _no_sideways_scroll(visitor)
