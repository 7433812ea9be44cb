"""The nomination journey in a real browser, with axe on every page (see conftest).

The first test uses the keyboard only once signed in: Tab and Shift+Tab to move, Space to
choose, arrow keys within a radio group, typing into the focused box and Enter to press
buttons and follow links. Each test has a nominator of its own, so its home page lists only
the nominations it made."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.test_records_and_email import (
    error_beside,
    live_db,
    sign_in,
    summary_value,
    unique_surname,
)

DEMO_EVENT = "PROUD Awards (demo)"
GOVUK_FOCUS_COLOUR = "rgb(255, 221, 0)"


# --- helpers -----------------------------------------------------------------------------------------


def demo_event():
    from sqlalchemy import select

    from cpevents.events.models import Event
    from cpevents.extensions import db

    return db.session.execute(select(Event).where(Event.name == DEMO_EVENT)).scalar_one()


def born_years_before(live_server, years: int) -> date:
    """A date of birth that makes someone exactly `years` old on the evening."""
    with live_db(live_server):
        day = demo_event().event_date
    return date(day.year - years, day.month, 1)


def describe_focus(visitor) -> str:
    return visitor.page.evaluate(
        """() => { const el = document.activeElement; if (!el || el === document.body) return 'nothing (the page body)';
                   return el.outerHTML.slice(0, 200); }"""
    )


def assert_focus_visible(visitor):
    """The focused element shows GOV.UK's yellow focus indicator (on the element, or for a radio
    or checkbox, on the circle or box drawn by its label)."""
    shown = visitor.page.evaluate(
        """(yellow) => {
             const el = document.activeElement;
             if (!el || el === document.body) return false;
             const styles = [getComputedStyle(el)];
             if (el.matches('.govuk-radios__input, .govuk-checkboxes__input') && el.labels.length)
               styles.push(getComputedStyle(el.labels[0], '::before'));
             return styles.some(s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor === yellow)
                                    || s.boxShadow.includes(yellow) || s.backgroundColor === yellow || s.borderColor === yellow);
           }""",
        GOVUK_FOCUS_COLOUR,
    )
    assert shown, f"no visible focus indicator on {describe_focus(visitor)} at {visitor.path}"


def is_focused(target) -> bool:
    return target.evaluate("el => el === document.activeElement")


def tab(visitor, expected, *, backwards: bool = False):
    """One press of Tab (or Shift+Tab) must land on `expected`, with a visible focus indicator."""
    visitor.page.keyboard.press("Shift+Tab" if backwards else "Tab")
    if not is_focused(expected):
        pytest.fail(f"{'Shift+Tab' if backwards else 'Tab'} on {visitor.path} went to {describe_focus(visitor)}, not {expected}")
    assert_focus_visible(visitor)


def tab_to(visitor, target, *, backwards: bool = False, limit: int = 40) -> int:
    """Press Tab (or Shift+Tab) until `target` has focus, as a keyboard user moves through the
    page. Fails if it cannot be reached: nothing on the page may be a keyboard dead end."""
    expect(target).to_have_count(1)
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        visitor.page.keyboard.press(key)
        if is_focused(target):
            assert_focus_visible(visitor)
            return presses
    pytest.fail(f"{limit} presses of {key} on {visitor.path} never reached the target; focus is on {describe_focus(visitor)}")


def enter_to_navigate(visitor):
    """Press Enter on the focused link or button, which takes you to another page: the keyboard
    twin of Visitor.click, so axe checks the page you land on."""
    visitor._require_checked()
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor._landed()


def type_into_focused(visitor, target, text: str):
    expect(target).to_be_focused()
    visitor.page.keyboard.type(text)


def continue_button(visitor):
    return visitor.page.get_by_role("button", name="Save and continue", exact=True)


def radio(visitor, group: str, label: str):
    return visitor.page.get_by_role("group", name=group).get_by_role("radio", name=label, exact=True)


def signed_in_nominator(new_visitor, live_server, name: str, who: str = "nominator"):
    account = live_server.make_account("nominator", name=name)
    visitor = new_visitor(who)
    sign_in(visitor, live_server, account)
    return visitor, account


def nominations_table(visitor):
    return visitor.page.get_by_role("table", name="Your nominations")


# 1 ---------------------------------------------------------------------------------------------------


def test_nominator_sends_a_nomination_using_only_the_keyboard(new_visitor, live_server, smtp_sink):
    nell, account = signed_in_nominator(new_visitor, live_server, "Nell Nominator")
    page = nell.page
    first_name, last_name = "Amara", unique_surname("Okafor")
    born = born_years_before(live_server, 19)  # a care leaver, 19 on the evening
    achievement = "Amara went back to college after a hard year and passed her level 2 course."  # 15 words

    # Home: from the top of the page to the button-styled link.
    expect(page.get_by_role("main")).to_contain_text("You have not nominated anyone yet.")
    tab(nell, page.get_by_role("link", name="Skip to main content"))
    tab_to(nell, page.get_by_role("link", name=f"Nominate a young person for {DEMO_EVENT}", exact=True))
    enter_to_navigate(nell)
    expect(nell.h1()).to_have_text("Nominate a young person")

    tab_to(nell, page.get_by_role("button", name=f"Start a nomination for {DEMO_EVENT}", exact=True))
    enter_to_navigate(nell)
    expect(nell.h1()).to_have_text("Who are you nominating?")
    assert re.fullmatch(r"/nominations/[0-9a-f-]{36}/young-person", nell.path), nell.path
    base = nell.path.removesuffix("/young-person")

    # The young person: everything except the month of birth, so the page sends it back.
    first, last = nell.field("First name"), nell.field("Last name")
    dob = page.get_by_role("group", name="Date of birth")
    day, month, year = (dob.get_by_label(part, exact=True) for part in ("Day", "Month", "Year"))
    in_care, care_leaver = (radio(nell, "Are they in care or a care leaver?", label) for label in ("In care", "Care leaver"))
    district = nell.field("District where they live (optional)")

    tab_to(nell, first)  # past the skip link, the menu and the back link
    type_into_focused(nell, first, first_name)
    tab(nell, last)
    page.keyboard.type(last_name)
    tab(nell, day)
    page.keyboard.type(str(born.day))
    tab(nell, month)  # left empty
    tab(nell, year)
    page.keyboard.type(str(born.year))
    tab(nell, in_care)  # Tab enters a radio group with nothing chosen at its first radio
    expect(in_care).not_to_be_checked()
    page.keyboard.press("Space")
    expect(in_care).to_be_checked()
    page.keyboard.press("ArrowDown")  # arrows move within the group and choose as they go
    expect(care_leaver).to_be_focused()
    expect(care_leaver).to_be_checked()
    expect(in_care).not_to_be_checked()
    tab(nell, district)
    page.keyboard.type("Riverside")
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    expect(page).to_have_title(re.compile(r"^Error: Who are you nominating\?"))
    summary = nell.error_summary()
    expect(summary).to_be_visible()
    # GOV.UK Frontend moves focus to the summary (the box around the alert), so it is read out first
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_focus_visible(nell)
    message = "Date of birth must include a month"
    error_beside(nell, dob, message)
    expect(page.locator(".govuk-error-message")).to_have_count(1)
    # what was typed is kept
    expect(first).to_have_value(first_name)
    expect(last).to_have_value(last_name)
    expect(day).to_have_value(str(born.day))
    expect(month).to_have_value("")
    expect(year).to_have_value(str(born.year))
    expect(care_leaver).to_be_checked()
    expect(district).to_have_value("Riverside")

    # Only the empty box is marked, and the summary link goes straight to it.
    expect(month).to_have_class(re.compile("govuk-input--error"))
    expect(day).not_to_have_class(re.compile("govuk-input--error"))
    tab(nell, summary.get_by_role("link", name=message, exact=True))
    page.keyboard.press("Enter")
    expect(month).to_be_focused()
    assert nell.path == f"{base}/young-person"
    page.keyboard.type(str(born.month))
    tab(nell, year)
    tab(nell, care_leaver)  # a group with a choice is entered at the chosen radio
    tab(nell, district)
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # You and the young person.
    expect(nell.h1()).to_have_text(f"You and {first_name}")
    assert nell.path == f"{base}/you"
    social_worker = radio(nell, f"How do you know {first_name}?", "Social worker")
    adviser = radio(nell, f"How do you know {first_name}?", "Personal adviser")
    worked_yes = radio(nell, f"Have you worked with {first_name} in the last 12 months?", "Yes")
    tab_to(nell, social_worker)
    page.keyboard.press("ArrowDown")
    expect(adviser).to_be_focused()
    expect(adviser).to_be_checked()
    tab(nell, worked_yes)
    page.keyboard.press("Space")
    expect(worked_yes).to_be_checked()
    tab(nell, adviser, backwards=True)  # Shift+Tab goes back into the first group, at the chosen radio
    tab(nell, worked_yes)
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # The award: back from the button into the list of awards.
    heading = f"Which award are you nominating {first_name} for?"
    expect(nell.h1()).to_have_text(heading)
    awards = page.get_by_role("group", name=heading)
    care_leaver_award = awards.get_by_role("radio", name="Care leaver of the year", exact=True)
    expect(awards.get_by_role("radio", name="Achievement in education", exact=True)).to_have_accessible_description(
        re.compile(r"Aged 11 to 25 on the day of the event; in care or a care leaver")
    )
    expect(care_leaver_award).to_have_accessible_description(re.compile(r"A care leaver whose year has been something to celebrate\.\s+Aged 11 to 25 on the day of the event; care leavers only"))
    first_award = awards.get_by_role("radio").first
    expect(awards.get_by_role("radio")).to_have_count(7)
    tab_to(nell, continue_button(nell))
    tab(nell, first_award, backwards=True)  # Chromium enters a group with nothing chosen at its first radio, either way
    for _ in range(6):  # down the list to the last award, choosing each on the way
        page.keyboard.press("ArrowDown")
    expect(care_leaver_award).to_be_focused()
    expect(care_leaver_award).to_be_checked()
    expect(awards.get_by_role("radio", checked=True)).to_have_count(1)
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # What they achieved: the character count counts words.
    expect(nell.h1()).to_have_text(f"What has {first_name} achieved?")
    box = page.get_by_role("textbox", name=f"What has {first_name} achieved?")
    status = page.locator(".govuk-character-count__status")
    expect(box).to_have_accessible_description(re.compile(r"You can enter up to 500 words"))
    expect(status).to_have_text("You have 500 words remaining")
    tab_to(nell, box)
    page.keyboard.type(achievement)
    expect(status).to_have_text("You have 485 words remaining")
    # and tells screen reader users too, once they pause typing
    expect(page.locator(".govuk-character-count__sr-status")).to_have_text("You have 485 words remaining")
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # Background for the organisers is optional: straight on.
    expect(nell.h1()).to_have_text("Background for the organisers (optional)")
    background = nell.field("Background for the organisers (optional)")
    tab_to(nell, background)
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # Keeping them safe.
    expect(nell.h1()).to_have_text(f"Keeping {first_name} safe")
    knows_yes = radio(nell, f"Does {first_name} know you are nominating them?", "Yes")
    concern = f"Is there any reason {first_name} should not be celebrated in public or photographed?"
    concern_yes, concern_no = radio(nell, concern, "Yes"), radio(nell, concern, "No")
    tab_to(nell, knows_yes)
    page.keyboard.press("Space")
    expect(knows_yes).to_be_checked()
    tab(nell, nell.field("Why not?"))
    tab(nell, concern_yes)
    page.keyboard.press("ArrowRight")  # the inline Yes / No: right arrow chooses No
    expect(concern_no).to_be_focused()
    expect(concern_no).to_be_checked()
    expect(concern_yes).not_to_be_checked()
    tab(nell, nell.field("Tell us what the reason is"))
    tab(nell, nell.field("Are there any contact restrictions the organisers should know about? (optional)"))
    tab(nell, continue_button(nell))
    enter_to_navigate(nell)

    # Check your answers.
    expect(nell.h1()).to_have_text("Check your answers before sending your nomination")
    assert nell.path == f"{base}/check"
    answers = {
        "Name": f"{first_name} {last_name}",
        "Date of birth": f"{born.day} {born:%B %Y}",
        "In care or a care leaver": "Care leaver",
        "District": "Riverside",
        "How you know them": "Personal adviser",
        "Worked with them in the last 12 months": "Yes",
        "Award": "Care leaver of the year",
        "What they have achieved": achievement,
        "Background for the organisers": "None",
        "Do they know about this nomination": "Yes",
        "Reason not to celebrate in public or photograph": "No",
        "Contact restrictions": "None",
    }
    for key, value in answers.items():
        expect(summary_value(nell, key)).to_have_text(value)
    expect(page.get_by_role("link", name="Change what they have achieved", exact=True)).to_be_visible()
    tab_to(nell, page.get_by_role("button", name="Send nomination", exact=True))
    enter_to_navigate(nell)

    # Sent.
    assert nell.path == f"{base}/sent"
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Nomination sent")
    expect(panel).to_contain_text(f"Thank you for nominating {first_name}")
    expect(page.get_by_role("heading", level=2, name="What happens next")).to_be_visible()
    smtp_sink.deliver()
    assert [m["subject"] for m in smtp_sink.to(account["email"])] == ["Thank you for your nomination"]
    tab_to(nell, page.get_by_role("link", name="Go to your nominations", exact=True))
    enter_to_navigate(nell)

    # Home lists it as sent.
    expect(nell.h1()).to_have_text(f"Hello, {account['name']}")
    rows = nominations_table(nell).locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name=f"{first_name} – change this nomination", exact=True)).to_be_visible()
    expect(rows.get_by_role("cell").nth(1)).to_have_text("Care leaver of the year")
    expect(rows.locator(".govuk-tag")).to_have_text("Sent")
    expect(page.get_by_role("main")).not_to_contain_text(last_name)


# 2 ---------------------------------------------------------------------------------------------------


def test_nominator_is_told_in_plain_words_why_an_award_does_not_fit(new_visitor, live_server):
    from sqlalchemy import select

    from cpevents.nominations.models import Nomination

    nico, _ = signed_in_nominator(new_visitor, live_server, "Nico Nominator")
    born = born_years_before(live_server, 9)
    with live_db(live_server):
        evening = demo_event().event_date

    nico.follow(f"Nominate a young person for {DEMO_EVENT}")
    nico.press(f"Start a nomination for {DEMO_EVENT}")
    base = nico.path.removesuffix("/young-person")
    nico.fill("First name", "Tomasz")
    nico.fill("Last name", unique_surname("Nowak"))
    dob = nico.page.get_by_role("group", name="Date of birth")
    dob.get_by_label("Day", exact=True).fill(str(born.day))
    dob.get_by_label("Month", exact=True).fill(str(born.month))
    dob.get_by_label("Year", exact=True).fill(str(born.year))
    radio(nico, "Are they in care or a care leaver?", "In care").check()
    nico.press("Save and continue")
    expect(nico.h1()).to_have_text("You and Tomasz")
    radio(nico, "How do you know Tomasz?", "Social worker").check()
    radio(nico, "Have you worked with Tomasz in the last 12 months?", "Yes").check()
    nico.press("Save and continue")

    heading = "Which award are you nominating Tomasz for?"
    expect(nico.h1()).to_have_text(heading)
    awards = nico.page.get_by_role("group", name=heading)
    choice = awards.get_by_role("radio", name="Care leaver of the year", exact=True)
    choice.check()
    nico.press("Save and continue")

    on_the_day = f"{evening.day} {evening:%B %Y}"
    reason = (f"Care leaver of the year is for young people aged 11 to 25 on {on_the_day}. They will be 9 then. "
              "Care leaver of the year is for care leavers.")
    expect(nico.page).to_have_title(re.compile(rf"^Error: {re.escape(heading)}"))
    assert nico.path == f"{base}/category"
    expect(nico.error_summary().get_by_role("link", name=reason, exact=True)).to_be_visible()
    expect(nico.page.locator(".govuk-error-summary")).to_be_focused()
    error_beside(nico, awards, reason)
    expect(choice).to_be_checked()  # the choice stays on the page, to change

    # ... but was not saved.
    with live_db(live_server) as db:
        nomination = db.session.execute(select(Nomination).where(Nomination.public_id == base.split("/")[-1])).scalar_one()
        assert nomination.category_id is None
    nico.visit(f"{base}/check")
    expect(summary_value(nico, "Award")).to_have_text("Not chosen yet")
    expect(nico.page.locator(".govuk-inset-text").get_by_role("link", name="The award", exact=True)).to_be_visible()
    expect(nico.page.get_by_role("button", name="Send nomination")).to_have_count(0)


# 3 ---------------------------------------------------------------------------------------------------


def test_nominator_changes_a_sent_nomination_then_withdraws_it(new_visitor, live_server):
    from cpevents.accounts.models import user_by_email
    from cpevents.nominations.models import YesNo
    from cpevents.nominations.services import (
        save_answers,
        start_nomination,
        submit_nomination,
    )
    from cpevents.young_people.models import CareStatus, WorkerRelationship

    noor, account = signed_in_nominator(new_visitor, live_server, "Noor Nominator")
    first_name, last_name = "Jaden", unique_surname("Bright")
    before = "Jaden learned to cook for himself and now makes Sunday dinner for his flatmates."
    after = "Jaden learned to cook, budgets his money every week and has kept his first flat for a year."
    born = born_years_before(live_server, 18)
    with live_db(live_server, request=True) as db:
        event = demo_event()
        by = user_by_email(account["email"])
        nomination = start_nomination(event, by=by)
        save_answers(nomination, {
            "first_name": first_name, "last_name": last_name, "date_of_birth": born,
            "care_status": CareStatus.CARE_LEAVER, "district": "", "relationship_type": WorkerRelationship.PERSONAL_ADVISER,
            "worked_with_recently": True, "category": next(c for c in event.categories if c.name == "Moving to independence"),
            "achievement": before, "young_person_knows": YesNo.YES, "public_concern": YesNo.NO,
        })
        submit_nomination(nomination, by=by)
        db.session.commit()
        check_path = f"/nominations/{nomination.public_id}/check"

    noor.visit("/nominator")
    expect(nominations_table(noor).locator(".govuk-tag")).to_have_text("Sent")
    noor.click(nominations_table(noor).get_by_role("link", name=f"{first_name} – change this nomination", exact=True))
    assert noor.path == check_path
    expect(noor.h1()).to_have_text("Check your answers")  # it has been sent: not "before sending"
    expect(summary_value(noor, "What they have achieved")).to_have_text(before)
    expect(noor.page.get_by_text("This nomination has been sent. Changes you make are saved straight away")).to_be_visible()
    expect(noor.page.get_by_role("button", name="Send nomination")).to_have_count(0)

    noor.follow("Change what they have achieved")
    expect(noor.h1()).to_have_text(f"What has {first_name} achieved?")
    box = noor.page.get_by_role("textbox", name=f"What has {first_name} achieved?")
    expect(box).to_have_value(before)
    back = noor.page.get_by_role("link", name="Back", exact=True)
    expect(back).to_have_attribute("href", check_path)
    box.fill(after)
    expect(noor.page.locator(".govuk-character-count__status")).to_have_text("You have 482 words remaining")
    noor.press("Save and continue")

    assert noor.path == check_path
    expect(noor.h1()).to_have_text("Check your answers")  # it has been sent: not "before sending"
    expect(summary_value(noor, "What they have achieved")).to_have_text(after)
    expect(summary_value(noor, "Award")).to_have_text("Moving to independence")

    noor.follow("Withdraw this nomination")
    question = "Are you sure you want to withdraw this nomination?"
    expect(noor.page.get_by_role("heading", level=1)).to_have_text(question)
    noor.press("Continue")
    expect(noor.error_summary().get_by_role("link", name="Select yes to withdraw the nomination")).to_be_visible()
    error_beside(noor, noor.page.get_by_role("group", name=question), "Select yes to withdraw the nomination")
    radio(noor, question, "Yes").check()
    noor.press("Continue")

    expect(noor.h1()).to_have_text(f"Hello, {account['name']}")
    expect(noor.banner()).to_contain_text(f"Your nomination of {first_name} has been withdrawn.")
    # It stays listed, as withdrawn, and can no longer be changed.
    expect(nominations_table(noor).locator(".govuk-tag")).to_have_text("Withdrawn")
    expect(nominations_table(noor).get_by_role("link")).to_have_count(0)
    expect(noor.page.get_by_role("main")).not_to_contain_text(after)

    # and its pages are gone
    response = noor.visit(check_path)
    assert response.status == 404
