"""The organiser's day in a real browser, with axe on every page: the home page leads with what
needs them (each line a count and a link to the page that does it), and the event page is a task
list by stage where "Close this event" appears only once the event has started."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.test_records_and_email import live_db, signed_in_organiser

DEMO_EVENT = "PROUD Awards (demo)"


def _todo(live_server) -> list:
    """The to-do as the page should show it, read from the live database just before looking."""
    from cpevents.home.todo import todo_lines

    with live_db(live_server, request=True):
        return todo_lines()


def _event(live_server, *, started: bool) -> dict:
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event

    with live_db(live_server) as db:
        event = create_event(kind=EventKind.OTHER, name=f"Tea party {uuid.uuid4().hex[:6]}",
                             starts_at=utcnow() + (timedelta(hours=-1) if started else timedelta(days=30)), venue="Town Hall", capacity=40,
                             description="", min_age=11, max_age=25, by=user_by_email("organiser@demo.example.org"))
        db.session.commit()
        return {"path": f"/events/{event.public_id}", "name": event.name}


def test_the_home_page_leads_with_what_needs_the_organiser(new_visitor, live_server):
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Tess Todo")
    lines = _todo(live_server)
    assert all(line.count for line in lines), [line.text for line in lines if not line.count]  # the demo fills every line
    todo = visitor.page.locator("#to-do + .govuk-task-list")
    expect(todo).to_be_visible()
    for line in lines:
        for item in line.items:
            row = todo.locator(".govuk-task-list__item").filter(has_text=line.text).filter(has_text=item.event_name)
            expect(row).to_have_count(1)
            expect(row.locator(".govuk-task-list__status")).to_have_text(str(item.count))
            link = row.get_by_role("link", name=line.text, exact=True)
            expect(link).to_have_attribute("href", item.href)
            # a screen reader hears the event and the count with the link
            expect(link).to_have_accessible_description(re.compile(rf"{re.escape(item.event_name)}\s*{item.count}$".strip()))

    # Other browser tests share this database and leave their own events with things to do: follow
    # each line's row for the demo's event, never just the first.
    def row_of(line_text: str, event_name: str):
        return visitor.page.locator("#to-do + .govuk-task-list .govuk-task-list__item").filter(has_text=line_text).filter(has_text=event_name)

    to_match = next(line for line in lines if line.key == "to_match")
    visitor.click(row_of(to_match.text, DEMO_EVENT).get_by_role("link", name=to_match.text, exact=True))
    expect(visitor.h1()).to_have_text("Nominations to match")
    expect(visitor.page.locator("main")).to_contain_text("Remi Okonjo-Hart")  # the demo's nomination with no record

    visitor.visit("/organiser")
    visitor.click(visitor.page.locator("#to-do + .govuk-task-list").get_by_role("link", name="Accounts waiting for approval", exact=True))
    expect(visitor.h1()).to_have_text("People")
    expect(visitor.page.locator("main")).to_contain_text("Pat Pending")

    visitor.visit("/organiser")
    visitor.click(row_of("Not replied after the reply-by date", "Winter lunch (demo)").get_by_role("link", name="Not replied after the reply-by date", exact=True))
    expect(visitor.h1()).to_have_text("Invitations and guest list")
    expect(visitor.page.locator("main")).to_contain_text("Winter lunch (demo)")


def test_the_event_page_is_a_task_list_by_stage(new_visitor, live_server):
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Sid Stages")
    visitor.follow("Create or change events")
    visitor.follow(DEMO_EVENT)
    expect(visitor.h1()).to_have_text(DEMO_EVENT)
    stages = visitor.page.get_by_role("heading", level=2).filter(has_text=re.compile(r"^(Nominations|Judging|Invitations|The night|After the event)$"))
    expect(stages).to_have_text(["Nominations", "Judging", "Invitations", "The night", "After the event"])
    nominations = visitor.page.locator("#stage-nominations + .govuk-task-list")
    expect(nominations.locator(".govuk-task-list__item").filter(has_text="Match nominations to young people")).to_contain_text(re.compile(r"\d+ to match"))
    expect(nominations.locator(".govuk-task-list__item").filter(has_text="Change the nomination dates")).to_contain_text("Open")
    expect(visitor.page.locator("#stage-judging + .govuk-task-list")).to_contain_text(re.compile(r"\d+ judges? behind"))
    expect(visitor.page.locator("#stage-invitations + .govuk-task-list").locator(".govuk-task-list__item").filter(has_text="Invitation letters")).to_contain_text(
        re.compile(r"\d+ to print"))
    # months away: nothing to close yet, and the page says when it can be done
    expect(visitor.page.get_by_role("link", name="Close this event")).to_have_count(0)
    after = visitor.page.locator("#stage-after + .govuk-task-list")
    expect(after).to_contain_text("Cannot start yet")
    expect(after).to_contain_text("You can do this once the event has started")

    visitor.follow("Safety answers to review")
    expect(visitor.h1()).to_contain_text("Nominations")
    expect(visitor.page.get_by_label("Only files with safety answers to review")).to_be_checked()


def test_close_this_event_appears_once_the_event_has_started(new_visitor, live_server):
    later, started = _event(live_server, started=False), _event(live_server, started=True)
    visitor, _ = signed_in_organiser(new_visitor, live_server, "Cleo Closer")
    visitor.visit(later["path"])
    expect(visitor.h1()).to_have_text(later["name"])
    expect(visitor.page.get_by_role("link", name="Close this event")).to_have_count(0)
    visitor.visit(started["path"])
    expect(visitor.h1()).to_have_text(started["name"])
    visitor.follow("Close this event")
    expect(visitor.h1()).to_have_text("Close this event")
