"""Issue 14, part I, on a 375 px phone with axe on every page: a young person opens their
invitation, finds "Need someone on your side?" under it, follows the link to the privacy notice
for young people, and reads it (the same help at its end)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_invitation_on_a_phone import PHONE, _invited, _no_sideways_scroll
from tests.browser.test_records_and_email import unique_surname

QUESTIONS = ["What do we keep?", "Why?", "How long do we keep it?", "Who sees it?", "How do I ask you to change or delete it?", "Who can help me?"]


def _help_box(visitor, live_server):
    config = live_server.app.config
    box = visitor.page.locator("#young-people-help")
    expect(box.get_by_role("heading", level=2)).to_have_text("Need someone on your side?")
    expect(box.get_by_role("heading", name=config["CHILDRENS_RIGHTS_NAME"])).to_be_visible()
    expect(box.get_by_role("heading", name=config["ADVOCACY_NAME"])).to_be_visible()
    expect(box.get_by_role("link", name=config["CHILDRENS_RIGHTS_PHONE"])).to_have_attribute("href", "tel:" + config["CHILDRENS_RIGHTS_PHONE"].replace(" ", ""))
    expect(box.get_by_role("link", name=config["ADVOCACY_PHONE"])).to_be_visible()
    return box


def test_a_young_person_finds_help_and_the_notice_for_young_people_from_their_invitation(new_visitor, live_server):
    facts = _invited(live_server, unique_surname("Adeyemi"), shortlisted=False)
    zara = new_visitor("young person")
    zara.page.set_viewport_size(PHONE)
    zara.visit(facts["link"])
    expect(zara.h1()).to_have_text("Your invitation, Zara")
    _help_box(zara, live_server)
    _no_sideways_scroll(zara)

    zara.click(zara.page.get_by_role("main").get_by_role("link", name="privacy notice for young people", exact=True))
    expect(zara.h1()).to_have_text("How we look after your information")
    assert zara.path == "/privacy/young-people"
    for question in QUESTIONS:
        expect(zara.page.get_by_role("heading", name=question, exact=True)).to_be_visible()
    expect(zara.page.locator("#how-long-invitation")).to_contain_text("3 months after the event")
    expect(zara.page.locator("#how-long-achievements")).to_contain_text("until you are 26")
    _help_box(zara, live_server)
    _no_sideways_scroll(zara)
    # Beside the adults' version, both ways.
    zara.click(zara.page.get_by_role("main").get_by_role("link", name="privacy notice for adults", exact=True))
    expect(zara.h1()).to_have_text("Privacy notice")
    _no_sideways_scroll(zara)
    zara.click(zara.page.get_by_role("main").get_by_role("link", name="Privacy notice for young people", exact=True))
    expect(zara.h1()).to_have_text("How we look after your information")


def test_a_stranger_reads_the_notice_from_the_footer(new_visitor):
    stranger = new_visitor("stranger")
    stranger.page.set_viewport_size(PHONE)
    stranger.visit("/")
    stranger.click(stranger.page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice for young people", exact=True))
    expect(stranger.h1()).to_have_text("How we look after your information")
    _no_sideways_scroll(stranger)
