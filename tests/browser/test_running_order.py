"""Issue 18: the demo organiser opens the Celebration tea's running order from the event page,
moves an award down and back up (plain forms, as without JavaScript), reads a presenter's sheet
(the winner "in the sealed envelope"), prints the sealed version (which names the winner and is
then listed as printed, by whom) and opens the photographer's list. axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, sign_in


def _first_award(live_server) -> dict:
    from sqlalchemy import select

    from cpevents.events.models import Event
    from cpevents.stage.queries import running_order

    with live_db(live_server) as db:
        event = db.session.execute(select(Event).where(Event.name == "Celebration tea (demo)")).scalar_one()
        slots = running_order(event, with_winners=True)
        first, second = slots[0], slots[1]
        return {"event": event.public_id, "first": first.category.name, "second": second.category.name,
                "winner": first.winners[0].name_words, "nominees": [n.name_words for n in first.nominees]}


def test_demo_organiser_runs_the_running_order(new_visitor, live_server):
    account = live_server.account("organiser")
    award = _first_award(live_server)
    visitor = new_visitor("organiser")
    sign_in(visitor, live_server, account)

    visitor.visit(f"/events/{award['event']}")
    visitor.follow("Running order, presenter's sheets and photographer's list")
    expect(visitor.h1()).to_have_text("Running order")
    order = visitor.page.locator("#running-order h2")
    expect(order.nth(0)).to_have_text(f"1. {award['first']}")
    expect(visitor.page.get_by_text("Winner", exact=True).first).to_be_visible()  # organisers see the winner here

    # Move the first award down, then back up: plain POST forms.
    visitor.press(f"Move down {award['first']}")
    expect(visitor.banner()).to_contain_text(f"{award['first']} moved down.")
    expect(order.nth(0)).to_have_text(f"1. {award['second']}")
    expect(order.nth(1)).to_have_text(f"2. {award['first']}")
    visitor.press(f"Move up {award['first']}")
    expect(order.nth(0)).to_have_text(f"1. {award['first']}")

    # The presenter's sheet: every nominee coming, the winner kept for the envelope.
    visitor.follow(f"Presenter's sheet for {award['first']}")
    expect(visitor.h1()).to_have_text(f"Presenter's sheet: {award['first']}")
    for name in award["nominees"]:
        expect(visitor.page.locator(".nominees")).to_contain_text(name)
    expect(visitor.page.locator(".winner")).to_have_text("Winner: in the sealed envelope.")
    visitor.follow("Back to the running order")

    # The sealed sheet: asked for with a button, names the winner, and is recorded.
    visitor.follow(f"Sealed presenter's sheet for {award['first']}")
    expect(visitor.h1()).to_have_text(f"Print the sealed presenter's sheet: {award['first']}")
    visitor.press("Show the sealed sheet to print")
    expect(visitor.page.locator("#sealed-notice")).to_be_visible()
    expect(visitor.page.locator(".winner").first).to_have_text(re.compile(rf"Winner: {re.escape(award['winner'])}"))
    visitor.follow("Back to the running order")
    expect(visitor.page.get_by_text(re.compile(rf"Sealed sheet printed: {re.escape(account['name'])} on"))).to_be_visible()

    visitor.follow("Photographer's list")
    expect(visitor.h1()).to_have_text("Photographer's list: Celebration tea (demo)")
    expect(visitor.page.locator("#no-photos")).to_be_visible()
