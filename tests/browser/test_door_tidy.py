"""Issue 20 at the door, on a phone: a tap keeps the search, the arrived are apart from those not
here yet, and a late guest added by mistake is removed after a question. axe checks every page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_door import PHONE, _tea_with_two_young_people
from tests.browser.test_records_and_email import sign_in, unique_surname


def test_search_is_kept_arrived_are_apart_and_a_mistaken_late_guest_is_removed(new_visitor, live_server):
    account = live_server.make_account("door_helper", name="Dev Door")
    names = _tea_with_two_young_people(live_server, unique_surname("Adeyemi"), account["email"])
    zuri = names["zuri"]
    search = zuri.split()[0].lower()

    helper = new_visitor("door helper")
    helper.page.set_viewport_size(PHONE)
    sign_in(helper, live_server, account)
    helper.follow("Door list: Celebration tea (demo)")
    helper.fill("Search by first name", search)
    helper.press("Search")
    not_here = helper.page.locator("section", has=helper.page.get_by_role("heading", name="Not here yet (1)"))
    expect(not_here.get_by_role("heading", name=zuri)).to_be_visible()

    helper.press(f"Check in {zuri} and 2 guests")
    expect(helper.banner()).to_contain_text(f"Checked in: {zuri}")
    expect(helper.field("Search by first name")).to_have_value(search)
    arrived = helper.page.locator("section", has=helper.page.get_by_role("heading", name="Arrived (1)"))
    expect(arrived.get_by_role("heading", name=zuri)).to_be_visible()
    expect(helper.page.get_by_role("heading", name="Not here yet (0)")).to_be_visible()

    helper.follow(f"Add a late guest for {zuri}")
    helper.fill("Guest's name", "Wrong Nmae")
    helper.page.get_by_role("radio", name="Adult").check()
    helper.press("Add and check in")
    expect(helper.banner()).to_contain_text("Wrong Nmae added")
    expect(helper.field("Search by first name")).to_have_value(search)

    helper.click(helper.page.get_by_role("link", name="Remove Wrong Nmae, added by mistake"))
    expect(helper.h1()).to_have_text(f"Remove Wrong Nmae from {zuri}'s guests?")
    helper.press("Yes, remove Wrong Nmae")
    expect(helper.banner()).to_contain_text(f"Wrong Nmae removed from {zuri}'s guests.")
    expect(helper.field("Search by first name")).to_have_value(search)
    expect(helper.page.locator("main")).not_to_contain_text("Remove Wrong Nmae")
