"""Tables and seating in a real browser, as the demo organiser, on the demo celebration tea: from the event
page to the seating page (seated by the demo's first pass), a move to a full table refused in plain
words, a new table, the move made there with the plain form, the table plan for the venue (no
surnames) and the name cards PDF; the door list shows the table. axe checks every page on arrival."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.test_records_and_email import sign_in

DEMO_ORGANISER = "organiser@demo.example.org"


def test_demo_organiser_seats_the_demo_tea_moves_a_party_and_prints_the_plan(new_visitor, live_server):
    organiser = new_visitor("organiser")
    sign_in(organiser, live_server, next(a for a in live_server.accounts if a["email"] == DEMO_ORGANISER))
    page = organiser.page
    organiser.visit("/events")
    organiser.follow("Celebration tea (demo)")
    organiser.follow("Tables, seating and name cards")
    expect(organiser.h1()).to_have_text("Tables and seating")
    event_path = organiser.path.removesuffix("/seating")

    # Seat anyone another test added since the demo was seeded, so table 1 (near the door) is full.
    organiser.press("Seat everyone without a table")
    expect(organiser.banner()).to_contain_text("seated")
    near_door = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="Table 1:"))
    expect(near_door).to_contain_text("Near the door")
    table_two = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="Table 2:"))
    select = table_two.locator("select").first
    mover = select.evaluate("s => s.labels[0].textContent").removeprefix("Move ").removesuffix(" to").strip()

    # Table 1 is full (the demo seats its wheelchair user, a party asking for a seat near the exit
    # and a councillor needing step-free access there): the move is refused in words.
    select.select_option(label="Table 1 (0 free), near the door")
    organiser.click(table_two.get_by_role("button", name=f"Move {mover}"))
    expect(organiser.error_summary()).to_contain_text("Table 1 is full for this party")
    expect(page.locator(".govuk-error-message")).to_contain_text("Table 1 is full for this party")
    expect(table_two.get_by_label(f"Move {mover} to", exact=True)).to_have_value(re.compile(".+"))
    assert table_two.get_by_label(f"Move {mover} to", exact=True).evaluate("s => s.selectedOptions[0].textContent").startswith("Table 1")

    # A new table, and the party moved there by hand.
    name = "Side " + uuid.uuid4().hex[:4]
    organiser.follow("Add a table")
    organiser.fill("Table number or name", name)
    organiser.fill("Seats", "none")
    organiser.press("Save table")
    expect(organiser.error_summary()).to_contain_text("Seats must be a whole number")
    expect(organiser.field("Table number or name")).to_have_value(name)
    organiser.fill("Seats", "8")
    organiser.press("Save table")
    expect(organiser.banner()).to_contain_text(f"{name} added.")
    card = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="Table 2:"))
    select = card.get_by_label(f"Move {mover} to", exact=True)
    select.select_option(label=f"{name} (8 free)")
    organiser.click(card.get_by_role("button", name=f"Move {mover}"))
    expect(organiser.banner()).to_contain_text(f"{mover} moved to {name}.")
    side = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name=f"{name}:"))
    expect(side).to_contain_text(mover)
    expect(side).to_contain_text("Moved by hand")

    # The name cards are a PDF; the table plan is a page to print, with first names only.
    cards = page.request.get(live_server.url + event_path + "/seating/name-cards.pdf")
    assert cards.status == 200 and cards.headers["content-type"] == "application/pdf"
    organiser.follow("Table plan for the venue")
    expect(organiser.h1()).to_have_text("Table plan: Celebration tea (demo)")
    expect(page.locator("main")).to_contain_text("Cllr Priya")
    expect(page.locator("main")).not_to_contain_text("Shah")
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    # The door list shows each party's table.
    organiser.visit("/door" + event_path)
    expect(page.locator(".govuk-summary-card__title", has_text=mover).first).to_contain_text(name)
