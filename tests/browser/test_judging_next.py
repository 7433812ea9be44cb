"""Issue 20 in a real browser, axe on every page (see conftest): a judge's list puts what is
still to do first, and after submitting scores the judge lands on the next file still to do;
an organiser meets the release page, first refusing (nominations open, a file unscored) and
then saying what will happen and to whom before anything is sent.

The live database is shared by every browser test, so each test makes its own event, panel,
judge and young people (with surnames nobody else has) and never touches the demo panel."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.test_nominations import radio
from tests.browser.test_records_and_email import (
    live_db,
    sign_in,
    signed_in_organiser,
    unique_surname,
)


def _own_panel(live_server, judge_email: str, firsts: list[str], *, scored: list[bool]):
    """A PROUD event of the test's own with a panel, its judge, and an accepted file per first
    name given to that judge (submitted scores where `scored`). Returns the event's public id and
    each file's (first name, surname)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.judging.models import Assignment, PanelJudge
    from cpevents.judging.services import create_panel
    from tests.judging.helpers import accepted_file, submitted
    from tests.nominations.test_journey import open_event

    with live_db(live_server, request=True) as db:
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("worker0@demo.example.org")
        event = open_event(name=f"PROUD Awards {uuid.uuid4().hex[:6]}")
        panel = create_panel(event, by=organiser)
        judge = PanelJudge(panel=panel, user_id=user_by_email(judge_email).id)
        db.session.add(judge)
        db.session.commit()
        people = []
        for first, done in zip(firsts, scored, strict=True):
            last = unique_surname("Judged")
            file = accepted_file(event, organiser, nominator, first=first, last=last,
                                 achievement=f"{first} set up a homework club and helps younger pupils every week.")
            if done:
                submitted(panel, file, judge, (3, 4, 3))
            else:
                db.session.add(Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id))
                db.session.commit()
            people.append((first, last))
        return event.public_id, people


def _row_names(visitor) -> list[str]:
    table = visitor.page.get_by_role("table", name=re.compile("Your nominations"))
    return [cells.split("\t")[0].strip() for cells in table.locator("tbody tr").all_inner_texts()]


def test_a_judge_scores_one_file_and_lands_on_the_next_still_to_do(new_visitor, live_server):
    account = live_server.make_account("judge", name=f"Jo {unique_surname('Nextjudge')}")
    _, people = _own_panel(live_server, account["email"], ["Dara", "Ezra", "Fola"], scored=[True, False, False])
    visitor = new_visitor("judge-next")
    sign_in(visitor, live_server, account)

    # To do first: Ezra and Fola before Dara, whose scores are in.
    names = _row_names(visitor)
    mine = [n for n in names if n.split()[0] in {"Dara", "Ezra", "Fola"}]
    assert [n.split()[0] for n in mine] == ["Ezra", "Fola", "Dara"], names
    expect(visitor.page.locator("main")).not_to_contain_text(people[0][1])  # never a surname on the list

    # Only what is still to do.
    radio(visitor, "Show", "Still to do").check()
    visitor.press("Show these")
    table = visitor.page.get_by_role("table", name=re.compile("Your nominations"))
    expect(table).to_contain_text("Ezra")
    expect(table).not_to_contain_text("Dara")

    visitor.click(visitor.page.get_by_role("link", name=re.compile(r"^Ezra \(")))
    expect(visitor.h1()).to_have_text(f"Before you read: do you know Ezra {people[1][1]}?")
    expect(visitor.page.locator("main")).to_contain_text("Nominated by")
    radio(visitor, "Do you have a conflict of interest?", "No conflict").check()
    visitor.press("Continue")
    expect(visitor.h1()).to_have_text(f"Ezra {people[1][1]}")
    for legend, value in (("Effort and determination (counts 2 times)", "4"), ("Difference it made (counts 2 times)", "5"),
                          ("Inspiring others (counts 1 time)", "3")):
        radio(visitor, legend, value).check()
    visitor.press("Submit scores")

    # Next, not back to the list.
    expect(visitor.banner()).to_contain_text("Scores submitted for Ezra")
    expect(visitor.banner()).to_contain_text(re.compile(r"Next file: Fola \(.+, reference [0-9A-F]{6}\)"))
    expect(visitor.h1()).to_have_text(f"Before you read: do you know Fola {people[2][1]}?")
    beside = visitor.banner().get_by_role("link", name="Back to the list")
    expect(beside).to_be_visible()
    visitor.click(beside)
    names = [n.split()[0] for n in _row_names(visitor) if n.split()[0] in {"Dara", "Ezra", "Fola"}]
    assert names[0] == "Fola", names


def test_an_organiser_is_shown_what_releasing_does_before_it_happens(new_visitor, live_server):
    judge = live_server.make_account("judge", name=f"Jo {unique_surname('Releasejudge')}")
    event_id, people = _own_panel(live_server, judge["email"], ["Gwen", "Hari"], scored=[True, False])
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Rae Organiser")
    visitor.visit(f"/events/{event_id}/judging")
    expect(visitor.h1()).to_have_text("Judging")
    visitor.click(visitor.page.get_by_role("button", name="Release the shortlist results"))

    # Refused, saying why, with links.
    expect(visitor.h1()).to_have_text("You cannot release the shortlist results yet")
    main = visitor.page.locator("main")
    expect(main).to_contain_text("Nominations are still open")
    expect(main).to_contain_text("1 file with no submitted scores")
    expect(visitor.page.get_by_role("link", name=f"Hari {people[1][1]}")).to_be_visible()
    expect(visitor.page.get_by_role("button", name="Release the results and email the nominators")).to_have_count(0)

    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import Event
    from cpevents.judging.models import Assignment, ConflictType, DecisionKind, Score
    from cpevents.judging.services import decide, panel_for

    with live_db(live_server, request=True) as db:
        # The window closes and the judge submits scores for Hari.
        event = db.session.execute(db.select(Event).where(Event.public_id == event_id)).scalar_one()
        event.nominations_close_at = utcnow() - timedelta(hours=1)
        panel = panel_for(event)
        assignments = {a.file.young_person.first_name: a for a in
                       db.session.execute(db.select(Assignment).where(Assignment.panel_id == panel.id)).scalars()}
        hari = assignments["Hari"]
        hari.conflict, hari.saved_at, hari.submitted_at = ConflictType.NONE, utcnow(), utcnow()
        hari.scores.extend(Score(criterion_id=c.id, value=2) for c in panel.criteria)
        decide(panel, assignments["Gwen"].file, DecisionKind.SHORTLIST, True, "Top of the ranking",
               by=user_by_email("organiser@demo.example.org"))
        db.session.commit()

    visitor.visit(f"/events/{event_id}/judging/release-shortlist")
    expect(visitor.h1()).to_have_text("Release the shortlist results")
    main = visitor.page.locator("main")
    expect(main).to_contain_text("we email 1 nominator (2 emails, one for each nomination) about 2 young people")
    expect(main).to_contain_text("1 is told they are shortlisted and 1 is told they are not shortlisted this time")
    expect(main).to_contain_text("This cannot be undone")
    visitor.press("Release the results and email the nominators")
    expect(visitor.banner()).to_contain_text("Shortlist results released. 2 nominator emails queued")
    expect(visitor.h1()).to_have_text("Judging")
    expect(visitor.page.get_by_role("button", name="Release the shortlist results")).to_have_count(0)
