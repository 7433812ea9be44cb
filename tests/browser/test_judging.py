"""Judging in a real browser: a judge declares no conflict, scores and submits by keyboard,
then sees the other judges' scores; a young judge reads the redacted file; an organiser ranks,
shortlists and picks a winner. Every page is checked with axe on arrival (see conftest).

The live database is shared by every browser test, so each test makes its own judge account,
young person and file (with a surname nobody else has) on the demo event's panel."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_nominations import demo_event, radio
from tests.browser.test_records_and_email import (
    error_beside,
    live_db,
    sign_in,
    signed_in_organiser,
    unique_surname,
)


def _file_for_panel(live_server, *, first: str, last: str, other_scores: bool, young_judge: bool = False, panel_text: str = ""):
    """A new judge account, and a new accepted file on the demo panel assigned to them."""
    from cpevents.accounts.models import user_by_email
    from cpevents.judging.models import Assignment, PanelJudge
    from cpevents.judging.services import panel_for, set_panel_text
    from tests.judging.helpers import accepted_file, submitted

    account = live_server.make_account("judge", name=f"Jo {unique_surname('Judge')}")
    with live_db(live_server, request=True) as db:
        event = demo_event()
        panel = panel_for(event)
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("worker0@demo.example.org")
        file = accepted_file(event, organiser, nominator, first=first, last=last, district="Hillside",
                             achievement=f"{first} {last} joined the Hillside Academy rowing club and now coaches beginners.")
        if panel_text:
            set_panel_text(file.live_nominations[0], panel_text, by=organiser)
        me = PanelJudge(panel_id=panel.id, user_id=user_by_email(account["email"]).id, young_judge=young_judge)
        db.session.add(me)
        if other_scores:
            other = next(j for j in panel.judges if j.user.email == "judge@demo.example.org")
            submitted(panel, file, other, (4, 3, 5)).comment = "Made me smile"
        db.session.flush()
        assignment = Assignment(panel_id=panel.id, file_id=file.id, judge_id=me.id)
        db.session.add(assignment)
        db.session.commit()
        return account, assignment.public_id


def _keyboard(visitor, key: str):
    """Press a key that takes the browser to another page (Enter on a focused button)."""
    visitor._require_checked()
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press(key)
    visitor._landed()


def test_judge_declares_no_conflict_scores_and_submits_by_keyboard(new_visitor, live_server):
    surname = unique_surname("Rower")
    account, _ = _file_for_panel(live_server, first="Keziah", last=surname, other_scores=True)
    visitor = new_visitor("judge")
    sign_in(visitor, live_server, account)
    table = visitor.page.get_by_role("table", name="Your nominations")
    expect(table).to_contain_text("Keziah")
    expect(table).to_contain_text("Declare any conflict")
    visitor.page.get_by_role("link", name=re.compile(r"^Keziah \(")).focus()  # "Keziah (award, reference …)" to a screen reader
    _keyboard(visitor, "Enter")

    # An adult judge is told who they are asked about: full name and nominator (issue 20).
    expect(visitor.h1()).to_have_text(f"Before you read: do you know Keziah {surname}?")
    expect(visitor.page.locator("main")).to_contain_text("Nominated by")
    expect(visitor.page.locator("main")).not_to_contain_text("rowing")
    radio(visitor, "Do you have a conflict of interest?", "No conflict").focus()
    visitor.page.keyboard.press("Space")
    visitor.page.get_by_role("button", name="Continue").focus()
    _keyboard(visitor, "Enter")

    expect(visitor.h1()).to_have_text(f"Keziah {surname}")
    expect(visitor.page.locator("main")).to_contain_text("rowing club")
    expect(visitor.page.locator("main")).not_to_contain_text("Made me smile")  # hidden until mine are in

    # Submitting with nothing chosen: an error beside each criterion.
    visitor.page.get_by_role("button", name="Submit scores").focus()
    _keyboard(visitor, "Enter")
    expect(visitor.error_summary()).to_contain_text("Give a score for Effort and determination")
    group = visitor.page.get_by_role("group", name="Effort and determination (counts 2 times)")
    expect(group.locator(".govuk-error-message")).to_contain_text("Give a score for Effort and determination")
    expect(group).to_have_accessible_description(re.compile("Give a score for Effort and determination"))

    # Score by keyboard: focus the first choice of each question, move with the arrow keys.
    for legend, steps in (("Effort and determination (counts 2 times)", 3), ("Difference it made (counts 2 times)", 4), ("Inspiring others (counts 1 time)", 2)):
        radio(visitor, legend, "1").focus()
        visitor.page.keyboard.press("Space")
        for _ in range(steps):
            visitor.page.keyboard.press("ArrowRight")
    expect(radio(visitor, "Difference it made (counts 2 times)", "5")).to_be_checked()
    visitor.field("Comment for the panel (optional)").focus()
    visitor.page.keyboard.type("Kept going all winter.")
    visitor.page.keyboard.press("Tab")
    expect(visitor.page.get_by_role("button", name="Submit scores")).to_be_focused()
    _keyboard(visitor, "Enter")

    # Their only file: back to the list, which says nothing is left (issue 20: next, not back).
    expect(visitor.banner()).to_contain_text("Scores submitted")
    expect(visitor.banner()).to_contain_text("You have nothing left to do")
    row = visitor.page.get_by_role("row").filter(has_text="Keziah")
    expect(row).to_contain_text("Submitted")
    visitor.click(visitor.page.get_by_role("link", name=re.compile(r"^Keziah \(")))
    scores = visitor.page.get_by_role("table", name="Other judges’ submitted scores")
    expect(scores).to_contain_text("Jamal Judge")
    expect(scores).to_contain_text("Made me smile")
    expect(visitor.page.locator("main")).to_contain_text("Your scores (submitted)")


def test_young_judge_reads_the_redacted_file(new_visitor, live_server):
    surname = unique_surname("Coach")
    account, assignment = _file_for_panel(live_server, first="Marley", last=surname, other_scores=False, young_judge=True,
                                          panel_text="Marley joined a rowing club at their school and now coaches beginners.")
    visitor = new_visitor("young-judge")
    sign_in(visitor, live_server, account)
    visitor.click(visitor.page.get_by_role("link", name=re.compile(r"^Marley \(")))
    expect(visitor.h1()).to_have_text("Before you read: do you know Marley?")
    expect(visitor.page.locator("main")).not_to_contain_text("Hillside")  # no district for a young judge
    radio(visitor, "Do you have a conflict of interest?", "No conflict").check()
    visitor.press("Continue")
    expect(visitor.h1()).to_have_text("Marley")
    main = visitor.page.locator("main")
    expect(main).to_contain_text("rowing club at their school")
    for hidden in (surname, "Hillside", "Fay Foster", "Tom Teacher", "Age on the day"):
        expect(main).not_to_contain_text(hidden)
    expect(visitor.page.get_by_role("heading", name="Nomination 1")).to_be_visible()


def test_organiser_ranks_shortlists_and_picks_a_winner(new_visitor, live_server):
    surname = unique_surname("Star")
    with live_db(live_server, request=True) as db:
        from cpevents.accounts.models import user_by_email
        from tests.judging.helpers import accepted_file

        event = demo_event()
        accepted_file(event, user_by_email("organiser@demo.example.org"), user_by_email("worker1@demo.example.org"), first="Ottilie", last=surname)
        db.session.commit()
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Olu Organiser")
    visitor.follow("Create or change events")
    visitor.follow("PROUD Awards (demo)")
    visitor.follow("Judging: panel, scores, ranking and winners")
    expect(visitor.h1()).to_have_text("Judging")
    expect(visitor.page.get_by_role("table", name="Judges and their progress")).to_contain_text("Yasmin")
    expect(visitor.page.locator("main")).to_contain_text(re.compile(r"\d+ files? (is|are) waiting for a panel version"))
    visitor.follow("Panel versions for young and blind judges")
    expect(visitor.h1()).to_have_text("Panel versions for young and blind judges")
    expect(visitor.page.get_by_role("row").filter(has_text=f"Ottilie {surname}")).to_contain_text("Waiting for a panel version")
    visitor.follow("Back to judging")
    visitor.follow("See the ranking, shortlist and choose winners")
    expect(visitor.h1()).to_have_text("Ranking")
    expect(visitor.page.locator("main")).to_contain_text("z-score")
    expect(visitor.page.locator("main")).to_contain_text("Shortlisted")
    visitor.follow(f"Ottilie {surname}")

    expect(visitor.h1()).to_have_text(f"Ottilie {surname}")
    expect(visitor.page.locator("main")).to_contain_text("Young and blind judges cannot see this file")
    visitor.follow("Write the panel version of the nomination by Fay Foster")
    expect(visitor.h1()).to_have_text("Panel version of the nomination")
    visitor.fill("Panel version", f"Ottilie {surname} started a coding club and teaches younger pupils.")
    visitor.press("Save panel version")
    error_beside(visitor, visitor.field("Panel version"), f"still has their surname ({surname})")
    error_beside(visitor, visitor.field("I have taken out anything that could identify Ottilie"), "Confirm you have taken out")
    visitor.fill("Panel version", "Ottilie started a coding club and teaches younger pupils.")
    visitor.field("I have taken out anything that could identify Ottilie").check()
    visitor.press("Save panel version")
    expect(visitor.banner()).to_contain_text("Panel version saved")
    expect(visitor.h1()).to_have_text(f"Ottilie {surname}")
    expect(visitor.page.locator("main")).not_to_contain_text("Young and blind judges cannot see this file")
    visitor.press("Record shortlist decision")
    error_beside(visitor, visitor.page.locator("#shortlist-reason"), "Enter the reason for this decision")
    radio(visitor, "Shortlist Ottilie (invite them to the awards evening)?", "Yes").check()
    visitor.page.locator("#shortlist-reason").fill("Strong nomination from two workers")
    visitor.press("Record shortlist decision")
    expect(visitor.banner()).to_contain_text("Shortlist decision recorded")
    radio(visitor, "Is Ottilie a winner of their award?", "Yes").check()
    visitor.page.locator("#winner-reason").fill("Panel agreed unanimously")
    visitor.press("Record winner decision")
    expect(visitor.banner()).to_contain_text("Only organisers can see it")
    history = visitor.page.locator("main ul.govuk-list").last
    expect(history).to_contain_text("Winner")
    expect(history).to_contain_text("Panel agreed unanimously")
    expect(history).to_contain_text("Shortlisted")
    visitor.follow("Back to the ranking")
    row = visitor.page.get_by_role("row").filter(has_text=f"Ottilie {surname}")
    expect(row).to_contain_text(re.compile("Winner"))
