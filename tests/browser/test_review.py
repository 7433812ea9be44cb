"""Organisers review the nominations in a real browser, read the way a person reads the page:
headings, visible text, banners and error messages. Each page is checked with axe on arrival
(see conftest).

The live database is shared by every browser test in the session, so each test that decides
something makes its own young person, nominator and file, and reads the numbers the page should
show (files, files per award, nominations to match) from the database just before it looks."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.test_nominations import (
    DEMO_EVENT,
    demo_event,
    radio,
    signed_in_nominator,
)
from tests.browser.test_records_and_email import (
    add_young_person,
    assert_ids_unique,
    error_beside,
    live_db,
    sign_in,
    summary_value,
    unique_surname,
)

REVIEW_LINK = f"Review the nominations for {DEMO_EVENT}"
FLAGGED_FILTER = "Only files with safety answers to review"
SAFETY_NOTE = "Safety answers: what did you check and decide?"
ACCEPT_NOTE = "Note for accepting (optional)"
NOT_ELIGIBLE_NOTE = "Not eligible: why? (we email this to the nominators)"


# --- helpers -----------------------------------------------------------------------------------------


def event_facts(live_server) -> dict:
    """What the list page should say, read from the live database just before looking."""
    from cpevents.nominations import queries

    with live_db(live_server):
        event = demo_event()
        counts = queries.counts_by_category(event.id)
        per_award = [f"{c.name}: {counts.get(c.id, 0)}" for c in event.categories]
        if counts.get(None):
            per_award.append(f"No award yet: {counts[None]}")
        _, total = queries.files(event.id)
        flagged, flagged_total = queries.files(event.id, flagged=True)
        return {
            "public_id": event.public_id,
            "event_date": event.event_date,
            "per_award": per_award,
            "files": total,
            "flagged_names": [row.file.young_person.full_name for row in flagged],
            "flagged": flagged_total,
            "to_match": queries.to_match_count(event.id),
        }


def years_before_the_evening(live_server, years: int) -> date:
    """A date of birth exactly `years` before the event date."""
    with live_db(live_server):
        day = demo_event().event_date
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def sent_nomination(live_server, nominator_email: str, *, first_name: str, last_name: str, date_of_birth: date,
                    achievement: str, award: str = "Achievement in education", match_to: str | None = None, **answers) -> dict:
    """A sent nomination in the live database, as if made through the pages; matched to the young
    person whose record has the public id `match_to`, or left for an organiser to match."""
    from sqlalchemy import select

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship, YoungPerson

    with live_db(live_server, request=True) as db:
        event = demo_event()
        by = user_by_email(nominator_email)
        values = {
            "event_id": event.id, "nominator_id": by.id, "status": NominationStatus.SENT, "submitted_at": utcnow(),
            "category_id": next(c.id for c in event.categories if c.name == award),
            "first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth,
            "care_status": CareStatus.IN_CARE, "district": "",
            "relationship_type": WorkerRelationship.SOCIAL_WORKER, "worked_with_recently": True,
            "achievement": achievement, "background": "",
            "young_person_knows": YesNo.YES, "public_concern": YesNo.NO, "public_concern_details": "",
            "contact_restriction_details": "",
            **answers,
        }
        nomination = Nomination(**values)
        db.session.add(nomination)
        db.session.flush()
        file_id = None
        if match_to:
            person = db.session.execute(select(YoungPerson).where(YoungPerson.public_id == match_to)).scalar_one()
            file_id = match_nomination(nomination, person, by=by).public_id
        db.session.commit()
        return {"public_id": nomination.public_id, "file": file_id}


def open_review_list(visitor):
    """From anywhere, the way an organiser gets there: Events, the event, then the review link."""
    visitor.click(visitor.service_navigation().get_by_role("link", name="Events", exact=True))
    expect(visitor.h1()).to_have_text("Events")
    visitor.follow(DEMO_EVENT)
    expect(visitor.h1()).to_have_text(DEMO_EVENT)
    visitor.follow(REVIEW_LINK)
    expect(visitor.h1()).to_have_text("Nominations")
    expect(visitor.page.locator(".govuk-caption-l")).to_have_text(DEMO_EVENT)


def files_table(visitor, total: int):
    """The results table, named by the heading above it: '3 files'."""
    return visitor.page.get_by_role("table", name=f"{total} file{'s' if total != 1 else ''}")


def search_files(visitor, text: str):
    visitor.fill("Search by name", text)
    visitor.press("Filter")


def nomination_card(visitor, nominator_name: str):
    return visitor.page.locator(".govuk-summary-card").filter(
        has=visitor.page.get_by_role("heading", level=3, name=re.compile(rf"^By {re.escape(nominator_name)},"))
    )


def decisions(visitor):
    """The entries under the 'Decisions' heading, newest first."""
    return visitor.page.locator("h2:text-is('Decisions') + ul").get_by_role("listitem")


def signed_in_organiser(new_visitor, live_server, name: str):
    account = live_server.make_account("organiser", totp=True, name=name)
    visitor = new_visitor("organiser")
    sign_in(visitor, live_server, account)
    return visitor, account


def nominate_through_the_pages(visitor, *, first_name: str, last_name: str, born: date, achievement: str):
    """A nominator's whole journey, from their home page to 'Nomination sent'."""
    visitor.follow(f"Nominate a young person for {DEMO_EVENT}")
    visitor.press(f"Start a nomination for {DEMO_EVENT}")
    expect(visitor.h1()).to_have_text("Who are you nominating?")
    visitor.fill("First name", first_name)
    visitor.fill("Last name", last_name)
    dob = visitor.page.get_by_role("group", name="Date of birth")
    dob.get_by_label("Day", exact=True).fill(str(born.day))
    dob.get_by_label("Month", exact=True).fill(str(born.month))
    dob.get_by_label("Year", exact=True).fill(str(born.year))
    radio(visitor, "Are they in care or a care leaver?", "In care").check()
    visitor.press("Save and continue")

    expect(visitor.h1()).to_have_text(f"You and {first_name}")
    radio(visitor, f"How do you know {first_name}?", "Social worker").check()
    radio(visitor, f"Have you worked with {first_name} in the last 12 months?", "Yes").check()
    visitor.press("Save and continue")

    heading = f"Which award are you nominating {first_name} for?"
    expect(visitor.h1()).to_have_text(heading)
    visitor.page.get_by_role("group", name=heading).get_by_role("radio", name="Achievement in education", exact=True).check()
    visitor.press("Save and continue")

    expect(visitor.h1()).to_have_text(f"What has {first_name} achieved?")
    visitor.page.get_by_role("textbox", name=f"What has {first_name} achieved?").fill(achievement)
    visitor.press("Save and continue")

    expect(visitor.h1()).to_have_text("Background for the organisers (optional)")
    visitor.press("Save and continue")

    expect(visitor.h1()).to_have_text(f"Keeping {first_name} safe")
    radio(visitor, f"Does {first_name} know you are nominating them?", "Yes").check()
    radio(visitor, f"Is there any reason {first_name} should not be celebrated in public or photographed?", "No").check()
    visitor.press("Save and continue")

    expect(visitor.h1()).to_have_text("Check your answers before sending your nomination")
    expect(summary_value(visitor, "Name")).to_have_text(f"{first_name} {last_name}")
    expect(summary_value(visitor, "Date of birth")).to_have_text(f"{born.day} {born:%B %Y}")
    expect(summary_value(visitor, "What they have achieved")).to_have_text(achievement)
    visitor.press("Send nomination")
    expect(visitor.page.locator(".govuk-panel--confirmation").get_by_role("heading", level=1)).to_have_text("Nomination sent")


# 1 ---------------------------------------------------------------------------------------------------


def test_organiser_reviews_safety_answers_then_accepts_a_file(new_visitor, live_server):
    from cpevents.nominations.models import YesNo

    nominator = live_server.make_account("nominator", name="Fern Nominator")
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Ottilie Organiser")
    person = add_young_person(live_server, organiser["email"], first_name="Marnie", last_name=unique_surname("D'Ashdown"),
                              date_of_birth=years_before_the_evening(live_server, 15))
    achievement = "Marnie stood up in assembly and spoke about being in care, so that others would feel less alone."
    concern = "Her birth father has looked for her online and must not find out where she lives."
    sent_nomination(live_server, nominator["email"], first_name="Marnie", last_name=person["last_name"],
                    date_of_birth=person["date_of_birth"], achievement=achievement, match_to=person["public_id"],
                    public_concern=YesNo.YES, public_concern_details=concern)
    name = person["full_name"]
    facts = event_facts(live_server)
    assert name in facts["flagged_names"]

    open_review_list(olivia)
    expect(olivia.page.get_by_role("heading", level=2, name="Files per award")).to_be_visible()
    expect(olivia.page.locator("h2:text-is('Files per award') + ul").get_by_role("listitem")).to_have_text(facts["per_award"])
    expect(olivia.page.get_by_role("heading", level=2, name=f"{facts['files']} files", exact=True)).to_be_visible()
    expect(files_table(olivia, facts["files"]).locator("tbody").get_by_role("row")).to_have_count(min(50, facts["files"]))

    # Only the files whose safety answers are still to be reviewed.
    olivia.page.get_by_role("checkbox", name=FLAGGED_FILTER, exact=True).check()
    olivia.press("Filter")
    expect(olivia.page.get_by_role("checkbox", name=FLAGGED_FILTER, exact=True)).to_be_checked()
    expect(olivia.page.get_by_role("heading", level=2, name=f"{facts['flagged']} files", exact=True)).to_be_visible()
    rows = files_table(olivia, facts["flagged"]).locator("tbody").get_by_role("row")
    expect(rows.locator("td:first-child a")).to_have_text(facts["flagged_names"])
    expect(rows.filter(has_text="Safety answers to review")).to_have_count(facts["flagged"])
    mine = rows.filter(has_text=name)
    expect(mine.get_by_role("cell").nth(1)).to_have_text("Achievement in education")
    expect(mine.get_by_role("cell").nth(2)).to_have_text("1")
    expect(mine.get_by_role("cell").nth(3)).to_contain_text("To review")

    olivia.click(mine.get_by_role("link", name=name, exact=True))
    expect(olivia.h1()).to_have_text(name)
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text(f"{DEMO_EVENT} – To review")
    expect(summary_value(olivia, "Award").first).to_have_text("Achievement in education")
    expect(summary_value(olivia, "Age on the day").first).to_have_text("15")
    # a link to the record (the name, apostrophe and all, escaped once, not the link's markup shown as text)
    record = summary_value(olivia, "Record").get_by_role("link", name=f"{name}’s record", exact=True)
    expect(record).to_have_attribute("href", f"/young-people/{person['public_id']}")
    expect(olivia.page.get_by_role("heading", level=2, name="1 nomination", exact=True)).to_be_visible()
    card = nomination_card(olivia, "Fern Nominator")
    expect(card).to_contain_text(achievement)
    expect(card).to_contain_text(f"Yes: {concern}")
    safety_note = olivia.field(SAFETY_NOTE)
    expect(safety_note).to_be_visible()
    expect(safety_note).to_have_accessible_description(re.compile("This must be reviewed before the file goes to judges"))
    expect(olivia.page.get_by_role("button", name="Mark safety answers reviewed", exact=True)).to_be_visible()

    # Accepting first is refused: the safety answers come first.
    olivia.press("Accept for judging")
    refused = "Review the safety answers before accepting this file for judging"
    expect(olivia.page).to_have_title(re.compile(r"^Error: "))
    expect(olivia.error_summary().get_by_role("link", name=refused, exact=True)).to_be_visible()
    error_beside(olivia, olivia.field(ACCEPT_NOTE), refused)
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(1)
    assert_ids_unique(olivia)  # four forms share the page
    olivia.error_summary().get_by_role("link", name=refused, exact=True).click()  # a jump within the page
    expect(olivia.field(ACCEPT_NOTE)).to_be_focused()
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text(f"{DEMO_EVENT} – To review")

    # The safety review needs a reason.
    olivia.press("Mark safety answers reviewed")
    expect(olivia.error_summary().get_by_role("link", name="Enter the reason", exact=True)).to_be_visible()
    error_beside(olivia, olivia.field(SAFETY_NOTE), "Enter the reason")
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(1)
    olivia.error_summary().get_by_role("link", name="Enter the reason", exact=True).click()
    expect(olivia.field(SAFETY_NOTE)).to_be_focused()

    checked = "Spoke to her social worker: first name only on stage, no photos."
    olivia.fill(SAFETY_NOTE, checked)
    olivia.press("Mark safety answers reviewed")
    expect(olivia.banner()).to_contain_text("Safety answers reviewed.")
    expect(olivia.h1()).to_have_text(name)
    expect(olivia.page.get_by_role("button", name="Mark safety answers reviewed")).to_have_count(0)
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(0)

    file_path = olivia.path
    olivia.press("Accept for judging")
    expect(olivia.banner()).to_contain_text(f"{name}: accepted for judging.")
    olivia.visit(file_path)  # on from the next file still to do, back to this one
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text(f"{DEMO_EVENT} – Accepted for judging")
    expect(olivia.page.get_by_role("button", name="Accept for judging")).to_have_count(0)
    entries = decisions(olivia)
    expect(entries).to_have_count(3)  # newest first
    expect(entries.nth(0)).to_contain_text("Accepted for judging")
    expect(entries.nth(0)).to_contain_text(", Ottilie Organiser")
    expect(entries.nth(1)).to_contain_text("Safety answers reviewed")
    expect(entries.nth(1)).to_contain_text(f", Ottilie Organiser: {checked}")
    expect(entries.nth(2)).to_contain_text("Nomination added to the file")

    # Back on the list, the file no longer waits for a safety review.
    olivia.follow("Back to nominations")
    olivia.page.get_by_role("checkbox", name=FLAGGED_FILTER, exact=True).check()
    olivia.press("Filter")
    expect(olivia.page.get_by_role("main")).not_to_contain_text(name)


# 2 ---------------------------------------------------------------------------------------------------


def test_two_nominators_nominate_the_same_young_person_into_one_file(new_visitor, live_server):
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Odette Organiser")
    born = years_before_the_evening(live_server, 14)
    person = add_young_person(live_server, organiser["email"], first_name="Kofi", last_name=unique_surname("Mensah"), date_of_birth=born)
    surname = person["last_name"]
    first = "Kofi has not missed a day of school this year and helps younger children with reading at lunchtime."
    second = "Kofi captained the county under-15 football team and organised a match to raise money for the hospice."

    alys, _ = signed_in_nominator(new_visitor, live_server, "Alys Nominator", who="nominator-a")
    nominate_through_the_pages(alys, first_name="Kofi", last_name=surname, born=born, achievement=first)
    bryn, _ = signed_in_nominator(new_visitor, live_server, "Bryn Nominator", who="nominator-b")
    nominate_through_the_pages(bryn, first_name="Kofi", last_name=surname, born=born, achievement=second)

    open_review_list(olivia)
    search_files(olivia, surname)
    expect(olivia.field("Search by name")).to_have_value(surname)
    expect(olivia.page.get_by_role("heading", level=2, name="1 file", exact=True)).to_be_visible()
    rows = files_table(olivia, 1).locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("cell").nth(2)).to_have_text("2")

    olivia.click(rows.get_by_role("link", name=f"Kofi {surname}", exact=True))
    expect(olivia.h1()).to_have_text(f"Kofi {surname}")
    expect(summary_value(olivia, "Age on the day").first).to_have_text("14")
    expect(summary_value(olivia, "Care status").first).to_have_text("In care")
    expect(olivia.page.get_by_role("heading", level=2, name="2 nominations", exact=True)).to_be_visible()
    expect(olivia.page.locator(".govuk-summary-card")).to_have_count(2)
    for nominator, achievement in (("Alys Nominator", first), ("Bryn Nominator", second)):
        card = nomination_card(olivia, nominator)
        expect(card.get_by_role("heading", level=3)).to_have_text(f"By {nominator}, social worker (Children's social care)")
        expect(card).to_contain_text(achievement)
    # Both joined the file by themselves: same name and date of birth as the record.
    expect(decisions(olivia).filter(has_text="(same name and date of birth)")).to_have_count(2)


# 3 ---------------------------------------------------------------------------------------------------


def test_organiser_marks_a_file_not_eligible_and_the_nominator_is_told(new_visitor, live_server, smtp_sink):
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Oriel Organiser")
    nadia, nominator = signed_in_nominator(new_visitor, live_server, "Nadia Nominator")
    person = add_young_person(live_server, organiser["email"], first_name="Lowri", last_name=unique_surname("Pryce"),
                              date_of_birth=years_before_the_evening(live_server, 16))
    sent_nomination(live_server, nominator["email"], first_name="Lowri", last_name=person["last_name"],
                    date_of_birth=person["date_of_birth"], match_to=person["public_id"],
                    achievement="Lowri taught herself to code and built a website for her foster family's cafe.")
    name = person["full_name"]

    open_review_list(olivia)
    search_files(olivia, person["last_name"])
    olivia.click(files_table(olivia, 1).get_by_role("link", name=name, exact=True))
    expect(olivia.h1()).to_have_text(name)
    file_path = olivia.path
    reason_box = olivia.field(NOT_ELIGIBLE_NOTE)
    expect(reason_box).to_have_accessible_description(re.compile("Use plain, kind words"))

    olivia.press("Mark not eligible")
    expect(olivia.page).to_have_title(re.compile(r"^Error: "))
    expect(olivia.error_summary().get_by_role("link", name="Enter the reason", exact=True)).to_be_visible()
    error_beside(olivia, olivia.field(NOT_ELIGIBLE_NOTE), "Enter the reason")
    expect(olivia.page.locator(".govuk-error-message")).to_have_count(1)
    assert smtp_sink.to(nominator["email"]) == []

    reason = "Lowri lives in another council's care, so their own awards will celebrate her."
    olivia.fill(NOT_ELIGIBLE_NOTE, reason)
    olivia.press("Mark not eligible")
    expect(olivia.banner()).to_contain_text(f"{name}: marked not eligible. The nominators have been emailed the reason.")
    olivia.visit(file_path)  # on from the next file still to do, back to this one
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text(f"{DEMO_EVENT} – Not eligible")
    expect(olivia.page.locator(".govuk-inset-text")).to_have_text(f"Not eligible: {reason}")
    expect(olivia.page.get_by_role("button", name="Mark not eligible")).to_have_count(0)
    expect(decisions(olivia).first).to_contain_text("Marked not eligible")
    expect(decisions(olivia).first).to_contain_text(f", Oriel Organiser: {reason}")

    [email] = smtp_sink.wait_for(nominator["email"])
    assert email["subject"] == "About your nomination"
    text = smtp_sink.text(email)
    assert "Hello Nadia Nominator" in text
    assert f"Thank you for nominating Lowri for {DEMO_EVENT}" in text
    assert reason in text

    nadia.visit("/nominator")
    expect(nadia.h1()).to_have_text("Hello, Nadia Nominator")
    rows = nadia.page.get_by_role("table", name="Your nominations").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("cell").first).to_contain_text("Lowri")
    expect(rows.locator(".govuk-tag")).to_have_text("Not eligible")
    expect(rows.get_by_role("cell").nth(2)).to_contain_text(reason)
    expect(nadia.page.get_by_role("main")).not_to_contain_text(person["last_name"])


# 4 ---------------------------------------------------------------------------------------------------


def test_organiser_matches_a_nomination_whose_name_is_spelt_differently(new_visitor, live_server):
    olivia, organiser = signed_in_organiser(new_visitor, live_server, "Orrin Organiser")
    nominator = live_server.make_account("nominator", name="Gwen Nominator")
    born = years_before_the_evening(live_server, 17)
    person = add_young_person(live_server, organiser["email"], first_name="Jordan", last_name=unique_surname("Whitlock"), date_of_birth=born)
    surname = person["last_name"]
    typed = f"Jordon {surname}"
    sent_nomination(live_server, nominator["email"], first_name="Jordon", last_name=surname, date_of_birth=born,
                    achievement="Jordan kept his place at college through two moves and passed every module.")
    facts = event_facts(live_server)
    assert facts["to_match"] >= 1
    waiting = f"{facts['to_match']} nomination{'s' if facts['to_match'] != 1 else ''} to match to a young person"

    open_review_list(olivia)
    inset = olivia.page.locator(".govuk-inset-text")
    expect(inset).to_contain_text("they join a file once matched")
    search_files(olivia, surname)
    expect(olivia.page.get_by_text("No files match.")).to_be_visible()  # not in a file until matched
    olivia.click(inset.get_by_role("link", name=waiting, exact=True))

    expect(olivia.h1()).to_have_text("Nominations to match")
    queue = olivia.page.get_by_role("table", name="Nominations waiting to be matched").locator("tbody").get_by_role("row")
    expect(queue).to_have_count(facts["to_match"])
    ours = queue.filter(has_text=typed)
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(f"born {born:%-d %b %Y}")
    expect(ours.get_by_role("cell").nth(1)).to_have_text("Gwen Nominator")
    expect(ours.get_by_role("cell").nth(2)).to_have_text("1")

    olivia.click(ours.get_by_role("link", name=typed, exact=True))
    expect(olivia.h1()).to_have_text(f"Who is {typed}?")
    expect(olivia.page.locator(".govuk-caption-l")).to_have_text("Nomination by Gwen Nominator")
    expect(summary_value(olivia, "Name given")).to_have_text(typed)
    expect(summary_value(olivia, "Date of birth given")).to_have_text(f"{born:%-d %B %Y}")
    choices = olivia.page.get_by_role("group", name="Which young person is this?")
    record = choices.get_by_role("radio", name=f"Jordan {surname}, born {born:%-d %B %Y}", exact=True)
    expect(record).to_be_visible()
    expect(choices.get_by_role("radio", name="None of these: make a new record from this nomination", exact=True)).to_be_visible()

    olivia.press("Add to their file")
    expect(olivia.error_summary().get_by_role("link", name="Select a record, or make a new one", exact=True)).to_be_visible()
    error_beside(olivia, choices, "Select a record, or make a new one")

    record.check()
    olivia.press("Add to their file")
    expect(olivia.banner()).to_contain_text(f"Nomination added to Jordan {surname}’s file.")
    if facts["to_match"] > 1:  # on to the next nomination still to match
        expect(olivia.banner()).to_contain_text("Next nomination to match:")
        open_review_list(olivia)
        search_files(olivia, surname)
        olivia.click(files_table(olivia, 1).get_by_role("link", name=f"Jordan {surname}", exact=True))
    else:  # the last one: on to the file it joined
        expect(olivia.banner()).to_contain_text("Every nomination has been matched.")
    expect(olivia.h1()).to_have_text(f"Jordan {surname}")
    expect(olivia.page.get_by_role("heading", level=2, name="1 nomination", exact=True)).to_be_visible()
    expect(nomination_card(olivia, "Gwen Nominator")).to_contain_text("passed every module")
    expect(decisions(olivia).first).to_contain_text(", Orrin Organiser: Matched by an organiser")

    olivia.follow("Back to nominations")
    left = facts["to_match"] - 1
    if left:
        expect(inset.get_by_role("link")).to_have_text(f"{left} nomination{'s' if left != 1 else ''} to match to a young person")
    else:
        expect(inset).to_have_count(0)


# 5 ---------------------------------------------------------------------------------------------------


def test_organiser_downloads_the_nominations(new_visitor, live_server):
    olivia, _ = signed_in_organiser(new_visitor, live_server, "Oakley Organiser")
    open_review_list(olivia)
    stem = f"nominations-{event_facts(live_server)['event_date'].isoformat()}"

    # A download is not a navigation: the list page stays where it is.
    with olivia.page.expect_download() as info:
        olivia.page.get_by_role("button", name="Download CSV", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"{stem}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert "What they achieved" in header, header
    assert "Background for organisers" not in text
    assert len(text.splitlines()) > 100  # the demo nominations are all there

    background = olivia.page.get_by_role("checkbox", name="Include the background for organisers", exact=True)
    expect(background).to_have_accessible_description(re.compile("Only if you need it: it is for organisers only"))
    background.check()
    with olivia.page.expect_download() as info:
        olivia.page.get_by_role("button", name="Download spreadsheet (XLSX)", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert download.suggested_filename == f"{stem}.xlsx"
    with open(download.path(), "rb") as saved:  # Playwright keeps it under a name without .xlsx
        sheet = load_workbook(saved, read_only=True).active
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "What they achieved" in header and header[-1] == "Background for organisers", header

    expect(olivia.h1()).to_have_text("Nominations")
    assert olivia.path == f"/events/{event_facts(live_server)['public_id']}/nominations"
