"""An organiser creates an event, sets its nomination dates and adds an award category,
in a real browser, with axe on every page (see conftest)."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.test_records_and_email import error_beside, sign_in


def test_organiser_creates_an_event_with_dates_and_a_category(visitor, live_server):
    organiser = live_server.make_account("organiser", name="Evie Organiser", totp=True)
    sign_in(visitor, live_server, organiser)
    visitor.follow("Events")
    expect(visitor.h1()).to_have_text("Events")
    visitor.follow("Create an event")
    expect(visitor.h1()).to_have_text("Create an event")

    # bad input: clear messages beside the fields, typed values kept
    name = f"PROUD Awards {uuid.uuid4().hex[:6]}"
    visitor.page.get_by_label("PROUD Awards", exact=True).check()
    visitor.fill("Event name", name)
    visitor.fill("Day", "30")
    visitor.fill("Month", "2")
    visitor.fill("Year", "2031")
    visitor.fill("Start time", "teatime")
    visitor.press("Save event")
    expect(visitor.error_summary()).to_be_visible()
    error_beside(visitor, visitor.field("Start time"), "Enter a real time, like 6:30pm or 18:30")
    expect(visitor.page.locator(".govuk-error-message").filter(has_text="The event date must be a real date")).to_be_visible()
    expect(visitor.field("Event name")).to_have_value(name)

    visitor.fill("Day", "14")
    visitor.fill("Month", "3")
    visitor.fill("Start time", "6:30pm")
    visitor.fill("Venue", "County Hall")
    visitor.press("Save event")
    expect(visitor.h1()).to_have_text(name)
    expect(visitor.banner()).to_contain_text("The usual PROUD Awards categories have been added")
    expect(visitor.page.get_by_text("14 March 2031 at 6:30pm")).to_be_visible()
    expect(visitor.page.locator(".govuk-summary-list__key", has_text="Care leaver of the year")).to_be_visible()

    visitor.follow("Set the nomination dates")
    expect(visitor.h1()).to_have_text("Nomination dates")
    group = visitor.page.get_by_role("group", name="Nominations open")
    group.get_by_label("Day").fill("1")
    group.get_by_label("Month").fill("1")
    group.get_by_label("Year").fill("2031")
    closes = visitor.page.get_by_role("group", name="Nominations close")
    closes.get_by_label("Day").fill("31")
    closes.get_by_label("Month").fill("3")
    closes.get_by_label("Year").fill("2031")
    visitor.press("Save dates")
    expect(visitor.error_summary()).to_contain_text("Nominations must close before the event on 14 March 2031")
    closes.get_by_label("Day").fill("28")
    closes.get_by_label("Month").fill("2")
    visitor.press("Save dates")
    expect(visitor.h1()).to_have_text(name)
    expect(visitor.page.get_by_text("until midnight at the end of 28 February 2031, UK time")).to_be_visible()

    visitor.follow("Add a category")
    expect(visitor.h1()).to_have_text("Add a category")
    visitor.fill("Category name", "Young carers")
    visitor.press("Save category")
    error_beside(visitor, visitor.field("What it is for"), "Say in plain words what the category is for")
    expect(visitor.field("Category name")).to_have_value("Young carers")
    visitor.fill("What it is for", "Looking after someone at home as well as everything else.")
    visitor.press("Save category")
    expect(visitor.banner()).to_contain_text("Category “Young carers” added")
    expect(visitor.page.locator(".govuk-summary-list__key", has_text="Young carers")).to_be_visible()


def test_nominator_cannot_open_events(visitor, live_server):
    sign_in(visitor, live_server, live_server.account("nominator"))
    visitor.visit("/events")
    expect(visitor.h1()).to_have_text("You cannot see this page")
