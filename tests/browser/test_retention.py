"""The organisers' "What we keep and for how long" page and the privacy notice, in a real browser,
checked with axe: the organiser finds it from their home page, reads each rule with its period
from the settings, and the privacy notice shows the same table."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_records_and_email import signed_in_organiser


def test_organiser_reads_the_retention_schedule_and_the_privacy_notice_matches(new_visitor, live_server):
    organiser, _ = signed_in_organiser(new_visitor, live_server, "Rowan Retention")
    organiser.follow("What we keep and for how long")
    expect(organiser.h1()).to_have_text("What we keep and for how long")
    table = organiser.page.get_by_role("table", name="The retention schedule")
    expect(table.get_by_role("row").filter(has_text="92 days after the event")).to_have_count(1)
    expect(table.get_by_role("row").filter(has_text="Until the young person turns 26")).to_have_count(1)
    expect(table.get_by_role("columnheader", name="Why")).to_be_visible()

    organiser.follow("read the privacy notice")
    expect(organiser.h1()).to_have_text("Privacy notice")
    # On the notice the schedule is a summary list, which stacks on a phone (a table scrolls sideways).
    notice = organiser.page.locator(".govuk-summary-list")
    expect(notice.locator(".govuk-summary-list__row").filter(has_text="183 days after the event")).to_have_count(1)
    expect(notice.locator(".govuk-summary-list__row").filter(has_text="90 days after sending")).to_have_count(1)


def test_the_schedule_page_refuses_a_nominator(new_visitor, live_server):
    from tests.browser.test_records_and_email import sign_in

    account = live_server.make_account("nominator", name="Nell Notallowed")
    visitor = new_visitor("nominator")
    sign_in(visitor, live_server, account)
    response = visitor.visit("/organiser/retention")
    assert response.status == 403
