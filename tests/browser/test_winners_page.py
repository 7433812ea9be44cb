"""The public winners page (issue 16): an organiser checks who it shows and who it does not (and
why), unpublishes it (confirm page, then the address is "Page not found"), publishes it again;
anyone reads it on a phone (375 x 667) without signing in. axe checks every page on arrival."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, signed_in_organiser

PHONE = {"width": 375, "height": 667}


def _past_awards(live_server) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.public import winners
    from cpevents.public.demo import make_past_awards

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        event = make_past_awards(organiser, f"PROUD Awards {uuid.uuid4().hex[:6]} (browser test)")
        db.session.commit()
        result = winners.sort_winners(event)
        return {"event": event.public_id, "name": event.name, "shown": [(w.name, w.award, w.own_words) for w in result.shown],
                "hidden": [(r.file.young_person.full_name, r.file.young_person.last_name, r.reason) for r in result.not_shown]}


def test_an_organiser_unpublishes_and_publishes_and_anyone_reads_it_on_a_phone(new_visitor, live_server):
    facts = _past_awards(live_server)
    assert len(facts["shown"]) == 2 and len(facts["hidden"]) == 1
    public_path = f"/winners/{facts['event']}"

    organiser, _ = signed_in_organiser(new_visitor, live_server, "Wendy Winners")
    organiser.visit(f"/events/{facts['event']}/winners-page")
    expect(organiser.h1()).to_have_text("Public winners page")
    main = organiser.page.locator("main")
    expect(main).to_contain_text("Published")
    hidden_name, hidden_surname, reason = facts["hidden"][0]
    expect(main.locator("#not-shown + p + table")).to_contain_text(hidden_name)
    expect(main).to_contain_text(reason)
    for name, _award, _words in facts["shown"]:
        expect(main.locator("#shown + table")).to_contain_text(name)

    organiser.press("Unpublish the winners page")  # a link styled as a button
    expect(organiser.h1()).to_have_text("Unpublish the winners page?")
    organiser.press("Unpublish the winners page")
    expect(organiser.banner()).to_contain_text("Winners page unpublished")

    reader = new_visitor("anyone")
    reader.page.set_viewport_size(PHONE)
    reader.visit(public_path)
    expect(reader.h1()).to_have_text("Page not found")
    expect(reader.page.locator("main")).not_to_contain_text(facts["name"])

    organiser.press("Publish the winners page")  # a link styled as a button
    expect(organiser.h1()).to_have_text("Publish the winners page?")
    organiser.press("Publish the winners page")
    expect(organiser.banner()).to_contain_text("Winners page published")

    reader.visit(public_path)
    expect(reader.h1()).to_contain_text(facts["name"])
    page = reader.page.locator("main")
    for name, award, words in facts["shown"]:
        expect(page).to_contain_text(name)
        expect(page).to_contain_text(award)
        if words:
            expect(page).to_contain_text(words)
    expect(page).not_to_contain_text(hidden_surname)
    expect(page).not_to_contain_text(hidden_name)
    assert reader.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    reader.follow("Other winners pages")
    expect(reader.h1()).to_have_text("Winners")
    expect(reader.page.locator("main")).to_contain_text(facts["name"])
