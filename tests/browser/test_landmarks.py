"""Every piece of a page is inside a landmark (axe best-practice rule "region"): the phase banner
inside the header, a back link inside a navigation landmark. Checked on the public start page, the
public registration page and signed-in pages with a back link."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_records_and_email import signed_in_organiser


def _region_violations(visitor) -> str:
    results = visitor._axe.run(visitor.page, options={"runOnly": {"type": "rule", "values": ["region", "landmark-unique", "landmark-no-duplicate-banner"]},
                                                      "resultTypes": ["violations"]})
    return "" if not results.response["violations"] else results.generate_report()


def test_public_start_page_has_everything_inside_landmarks(new_visitor, live_server):
    visitor = new_visitor("public")
    visitor.visit("/")
    expect(visitor.page.locator("header .govuk-phase-banner")).to_be_visible()
    assert _region_violations(visitor) == ""


def test_signed_in_pages_with_a_back_link_have_it_in_a_navigation_landmark(new_visitor, live_server):
    organiser, _ = signed_in_organiser(new_visitor, live_server, "Rhea Region")
    assert _region_violations(organiser) == ""
    organiser.visit("/young-people/new")
    back = organiser.page.locator(".govuk-back-link")
    expect(back).to_have_count(1)
    expect(organiser.page.get_by_role("navigation", name="Back").locator(".govuk-back-link")).to_have_count(1)
    assert _region_violations(organiser) == ""
