"""Erasing a young person's data in a real browser: the record's button, the page that says what
goes and what stays, the reason's error, the second organiser, and the list. axe runs on every
page (see conftest). The database is shared: the young person has a surname of their own."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_records_and_email import (
    add_young_person,
    error_beside,
    signed_in_organiser,
    unique_surname,
)


def test_two_organisers_erase_a_young_persons_data(new_visitor, live_server):
    first, first_account = signed_in_organiser(new_visitor, live_server, "Ifeoma Erasefirst")
    surname = unique_surname("Erasable")
    person = add_young_person(live_server, first_account["email"], first_name="Wren", last_name=surname)

    first.visit(f"/young-people/{person['public_id']}")
    first.click(first.page.get_by_role("button", name="Erase this person’s data"))
    expect(first.h1()).to_have_text(f"Erase Wren {surname}’s data")
    expect(first.page.get_by_role("heading", name="What will be removed")).to_be_visible()
    expect(first.page.get_by_text("0 nominations about them", exact=False)).to_be_visible()
    expect(first.page.get_by_role("heading", name="What stays")).to_be_visible()

    first.press("Ask a second organiser to confirm")
    expect(first.error_summary()).to_contain_text("Enter why you are erasing this data")
    error_beside(first, first.field("Why are you erasing this person’s data?"), "Enter why you are erasing this data")
    first.fill("Why are you erasing this person’s data?", "Request by email 2 Dec")
    first.press("Ask a second organiser to confirm")
    expect(first.banner()).to_contain_text("A different organiser must now confirm it")
    expect(first.page.get_by_text("You asked for this erasure, so a different organiser must confirm it.")).to_be_visible()
    erasure_path = first.path

    second, _ = signed_in_organiser(new_visitor, live_server, "Tunde Erasesecond")
    second.visit("/erasure")
    expect(second.h1()).to_have_text("Erasure requests")
    second.visit(erasure_path)
    second.press("Confirm and erase")
    expect(second.banner()).to_contain_text("Data erased")
    expect(second.page.locator("body")).not_to_contain_text(surname)
    second.visit("/erasure")
    expect(second.page.locator("main")).not_to_contain_text(surname)
    second.visit(f"/young-people/{person['public_id']}")
    expect(second.h1()).to_contain_text("Erased")
