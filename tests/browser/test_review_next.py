"""Issue 20 in a real browser (axe on every page the Visitor lands on): an organiser who accepts a
file lands on the next file still to do, with the list one link away; and an award category
wider than its event is refused beside the field, with what was typed kept."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_nominations import DEMO_EVENT, demo_event
from tests.browser.test_records_and_email import add_young_person, error_beside, live_db
from tests.browser.test_review import (
    files_table,
    open_review_list,
    search_files,
    sent_nomination,
    signed_in_organiser,
    years_before_the_evening,
)


def _expected_next(live_server, file_public_id: str) -> str | None:
    """Who the page should go on to, read from the live database just before pressing."""
    from sqlalchemy import select

    from cpevents.nominations import queries
    from cpevents.nominations.models import NominationFile

    with live_db(live_server) as db:
        file = db.session.execute(select(NominationFile).where(NominationFile.public_id == file_public_id)).scalar_one()
        following = queries.next_file_to_review(file)
        return following.young_person.full_name if following else None


def test_organiser_accepts_a_file_and_lands_on_the_next_one_still_to_do(new_visitor, live_server):
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Nell Nextfile")
    nominator = live_server.make_account("nominator", name="Nye Nominator")
    born = years_before_the_evening(live_server, 15)
    files = []
    for first_name in ("Aled", "Bethan"):
        person = add_young_person(live_server, organiser["email"], first_name=first_name, date_of_birth=born)
        made = sent_nomination(live_server, nominator["email"], first_name=first_name, last_name=person["last_name"], date_of_birth=born,
                               match_to=person["public_id"], achievement=f"{first_name} helped set up a homework club for younger children.")
        files.append((person, made["file"]))
    first, first_file = files[0]  # the second waits too, so something is always next

    open_review_list(olivia)
    search_files(olivia, first["last_name"])
    olivia.click(files_table(olivia, 1).get_by_role("link", name=first["full_name"], exact=True))
    expect(olivia.h1()).to_have_text(first["full_name"])
    expected = _expected_next(live_server, first_file)
    assert expected is not None  # at least the second file waits

    olivia.press("Accept for judging")
    banner = olivia.banner()
    expect(banner).to_contain_text(f"{first['full_name']}: accepted for judging.")
    expect(banner).to_contain_text(f"Next file: {expected}.")
    expect(olivia.h1()).to_have_text(expected)  # the next file itself, not the list
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text(f"{DEMO_EVENT} – To review")
    expect(olivia.page.get_by_role("button", name="Accept for judging", exact=True)).to_be_visible()

    # "Back to the list" sits beside it in the banner.
    olivia.click(banner.get_by_role("link", name="Back to the list", exact=True))
    expect(olivia.h1()).to_have_text("Nominations")
    search_files(olivia, first["last_name"])
    row = files_table(olivia, 1).locator("tbody").get_by_role("row")
    expect(row.get_by_role("cell").nth(3)).to_contain_text("Accepted for judging")


def test_a_category_older_than_the_event_is_refused_beside_the_field(new_visitor, live_server):
    olivia, _ = signed_in_organiser(new_visitor, live_server, "Cara Categories")
    with live_db(live_server):
        event = demo_event()
        low, high = event.min_age, event.max_age
        count = len(event.categories)

    olivia.click(olivia.service_navigation().get_by_role("link", name="Events", exact=True))
    olivia.follow(DEMO_EVENT)
    olivia.follow("Add a category")
    expect(olivia.h1()).to_have_text("Add a category")
    olivia.fill("Category name", "Young adults")
    olivia.fill("What it is for", "For the older ones among our care leavers.")
    olivia.fill("Youngest age (optional)", "18")
    olivia.fill("Oldest age (optional)", str(high + 5))
    olivia.press("Save category")

    message = f"Oldest age must be {high} or less: the event is for ages {low} to {high}"
    expect(olivia.error_summary().get_by_role("link", name=message, exact=True)).to_be_visible()
    error_beside(olivia, olivia.field("Oldest age (optional)"), message)
    expect(olivia.field("Oldest age (optional)")).to_have_value(str(high + 5))  # what was typed is kept
    expect(olivia.field("Category name")).to_have_value("Young adults")
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(1)
    with live_db(live_server):
        assert len(demo_event().categories) == count  # nothing saved
