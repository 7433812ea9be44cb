"""Issue 14, subject access in a real browser with axe on every page: a young person reads "What we
hold about you" on a 375 px phone and downloads their copy; an organiser downloads everything held
from the record page."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, sign_in, unique_surname

PHONE = {"width": 375, "height": 667}


def _invited_with_reply(live_server, surname: str) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.invitations import services
    from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus
    from cpevents.young_people.services import create_young_person

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = create_event(kind=EventKind.PROUD_AWARDS, name=f"Awards evening {surname[-6:]}", starts_at=utcnow() + timedelta(days=40),
                             venue="Riverside Hall", capacity=100, description="", min_age=11, max_age=25, by=organiser)
        services.settings_for(event).reply_by = utcnow() + timedelta(days=20)
        person = create_young_person({"first_name": "Tomasz", "last_name": surname, "date_of_birth": date(2008, 9, 12),
                                      "care_status": CareStatus.CARE_LEAVER}, by=organiser)
        invitation = services.invite(event, person, by=organiser)
        reply = services.Reply(attending=InvitationStatus.COMING, guests=[(f"Aunt {surname}", AgeGroup.ADULT)], dietary=["halal"], photo_consent=True)
        services.record_reply(invitation, reply, by=organiser, how=ReplyHow.ORGANISER)
        link = services.issue_link(invitation)
        db.session.commit()
        return {"person": person.public_id, "link": "/i/" + link.rsplit("/i/", 1)[1]}


def test_a_young_person_reads_what_we_hold_on_a_phone_and_keeps_a_copy(new_visitor, live_server):
    surname = unique_surname("Nowak")
    facts = _invited_with_reply(live_server, surname)
    tomasz = new_visitor("young person")
    tomasz.page.set_viewport_size(PHONE)
    tomasz.visit(facts["link"])
    expect(tomasz.h1()).to_have_text("Your invitation, Tomasz")
    tomasz.follow("What we hold about you")
    expect(tomasz.h1()).to_have_text("What we hold about you")
    width = tomasz.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"scrolls sideways ({width} px)"
    expect(tomasz.page.get_by_role("heading", name="Who sees it")).to_be_visible()
    expect(tomasz.page.get_by_role("heading", name="How long we keep it")).to_be_visible()
    expect(tomasz.page.get_by_role("heading", name="Ask us to change or delete it")).to_be_visible()
    expect(tomasz.page.locator("#about-you")).to_contain_text(surname)
    expect(tomasz.page.locator("#invitation-1")).to_contain_text(f"Aunt {surname}")
    expect(tomasz.page.locator("#invitation-1")).to_contain_text("Halal")
    with tomasz.page.expect_download() as download:
        tomasz.page.get_by_role("link", name="Download your information as a file for other apps (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["record"]["last_name"] == surname and data["invitations"][0]["guests"][0]["name"] == f"Aunt {surname}"
    assert facts["link"].rsplit("/", 1)[1] not in json.dumps(data)
    tomasz.follow("Back to your invitation")
    expect(tomasz.h1()).to_have_text("Your invitation, Tomasz")


def test_an_organiser_downloads_everything_we_hold_from_the_record(visitor, live_server, second_factor_account):
    surname = unique_surname("Nowak")
    facts = _invited_with_reply(live_server, surname)
    sign_in(visitor, live_server, second_factor_account("organiser", name="Olivia Organiser"))
    visitor.visit(f"/young-people/{facts['person']}")
    expect(visitor.h1()).to_have_text(f"Tomasz {surname}")
    with visitor.page.expect_download() as download:
        visitor.page.get_by_role("button", name="Download everything we hold").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    summary = archive.read("summary.html").decode()
    data = json.loads(archive.read("data.json"))
    assert data["record"]["last_name"] == surname and f"Aunt {surname}" in summary and "12 September 2008" in summary
    # The summary reads on its own, opened from the ZIP: check it with axe too.
    visitor.page.set_content(summary)
    from tests.browser.axe import AXE_TAGS

    results = visitor._axe.run(visitor.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
