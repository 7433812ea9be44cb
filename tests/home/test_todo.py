"""The organiser's day: the to-do on their home page and the event page as a task list by stage."""

from __future__ import annotations

import re
from datetime import timedelta

from cpevents.champions.models import Champion, ChampionService, ChampionStatus
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import AgeGroup, Guest, GuestApproval, InvitationStatus
from cpevents.judging.models import PanelJudge
from cpevents.judging.services import create_panel
from cpevents.mail.models import MessageStatus
from cpevents.mail.services import queue_email
from cpevents.nominations.models import YesNo
from cpevents.nominations.review import match_nomination
from tests.factories import make_user, queries_for, sign_in
from tests.invitations.helpers import invited, make_person
from tests.judging.helpers import accepted_file, assign
from tests.nominations.test_journey import open_event
from tests.nominations.test_review import sent_nomination

_n = iter(range(1, 1000))

LINES = {
    "Nominations to match to a young person": "/nominations/to-match",
    "Safety answers to review": "/nominations?flagged=y",
    "Files not yet accepted for judging": "/nominations?status=to_review",
    "Judges behind with their scoring": "/judging",
    "Champion applications to decide": "/champions/applications",
    "Emails that could not be sent": "/emails?status=failed",
    "Guests waiting for your approval": "/invitations?show=to_approve",
    "Invitation letters to print and hand over": "/invitations/letters",
    "Not replied after the reply-by date": "/invitations?show=not_replied",
    "Accounts waiting for approval": "/people?status=pending",
}


def _organiser(client):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olu Organiser")
    sign_in(client, organiser)
    return organiser


def _something_in_every_line(organiser, event=None):
    """One of each thing that needs an organiser, on one event."""
    event = event or open_event(name=f"PROUD Awards {next(_n)}")
    sent_nomination(event, first_name="Una", last_name="Matched")  # nobody has matched it yet
    flagged = sent_nomination(event, first_name="Fen", last_name="Flagged", public_concern=YesNo.YES, public_concern_details="Press interest")
    person = make_person(organiser, first_name="Fen", last_name="Flagged")
    match_nomination(flagged, person, by=organiser)  # a file to review, with safety answers to review
    panel = create_panel(event, by=organiser)
    judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE, name="Jo Judge").id)
    db.session.add(judge)
    assign(panel, accepted_file(event, organiser, first="Ada", last="Scored"), judge)  # given, not scored
    service = ChampionService(name=f"Service {event.id}")
    db.session.add(service)
    db.session.flush()
    db.session.add(Champion(name="Cas Champion", email=f"cas{event.id}@example.org", job_title="Officer", service_id=service.id, status=ChampionStatus.PENDING))
    failed = queue_email("demo/invitation", to="nobody@example.org", subject="An invitation for you", first_name="Sami")
    failed.status = MessageStatus.FAILED
    coming = invited(event, organiser, contact_restriction=True)
    coming.status, coming.replied_at = InvitationStatus.COMING, utcnow()
    db.session.add(Guest(invitation_id=coming.id, name="Uncle Bo", age_group=AgeGroup.ADULT, approval=GuestApproval.TO_APPROVE))
    letter = invited(event, organiser, email=None)
    letter.letter_needed = True
    invited(event, organiser)  # not replied ...
    from cpevents.invitations.services import settings_for

    settings_for(event).reply_by = utcnow() - timedelta(days=1)  # ... after the reply-by date
    make_user(Role.NOMINATOR, name="Pat Pending", approved=False)
    db.session.commit()
    return event


def _todo(html: str) -> str:
    """What needs the organiser (not the lines with nothing to do, listed after it)."""
    return html.split('id="to-do"', 1)[1].split("<h2", 1)[0].split("<h3", 1)[0]


def _line(todo: str, text: str) -> str:
    """The task list row holding this line's words."""
    rows = re.findall(r'<li class="govuk-task-list__item.*?</li>', todo, re.S)
    found = [r for r in rows if text in r]
    assert found, f"no line {text!r}"
    return found[0]


def test_every_line_shows_its_count_and_links_to_the_page_that_does_it(client):
    organiser = _organiser(client)
    event = _something_in_every_line(organiser)
    todo = _todo(client.get("/organiser").get_data(as_text=True))
    for text, path in LINES.items():
        row = _line(todo, text)
        count = 2 if text.startswith("Not replied") else 1  # the young person with no email has not replied either
        assert re.search(rf'<strong class="govuk-tag[^"]*">\s*{count}\s*</strong>', row), f"{text}: no count of {count} in {row}"
        href = re.search(r'href="([^"]+)"', row).group(1).replace("&amp;", "&")
        assert href.endswith(path), f"{text}: {href}"
        if "/events/" in href:
            assert event.public_id in href and event.name in row  # the event it is about is named
        assert client.get(href).status_code == 200
    assert "Nothing to do" not in todo


def test_lines_with_nothing_to_do_say_so(client):
    _organiser(client)
    html = client.get("/organiser").get_data(as_text=True)
    assert "Nothing needs you today." in html
    done = html.split('id="nothing-to-do"', 1)[1]
    for text in LINES:
        if text == "Accounts waiting for approval":
            continue
        assert "Nothing to do" in _line(done, text)


def test_a_closed_event_needs_nothing_more(client):
    organiser = _organiser(client)
    event = _something_in_every_line(organiser)
    event.closed_at = utcnow()
    db.session.commit()
    todo = _todo(client.get("/organiser").get_data(as_text=True))
    assert event.name not in todo
    for text in ("Nominations to match to a young person", "Invitation letters to print and hand over"):
        assert text not in todo


def test_the_to_do_counts_each_event_apart_in_a_fixed_number_of_queries(client):
    organiser = _organiser(client)
    first = _something_in_every_line(organiser)
    few = queries_for(client, "/organiser")
    second = _something_in_every_line(organiser)
    sent_nomination(second, first_name="Two", last_name="Unmatched")
    db.session.commit()
    assert queries_for(client, "/organiser") == few
    todo = _todo(client.get("/organiser").get_data(as_text=True))
    rows = [r for r in re.findall(r'<li class="govuk-task-list__item.*?</li>', todo, re.S) if "Nominations to match" in r]
    assert len(rows) == 2 and first.name in rows[0] + rows[1] and second.name in rows[0] + rows[1]
    assert re.search(r">\s*2\s*</strong>", next(r for r in rows if second.name in r))


def test_a_young_judge_waiting_for_a_panel_version_is_not_behind(client):
    organiser = _organiser(client)
    event = open_event()
    panel = create_panel(event, by=organiser)
    judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE, name="Yasmin Young").id, young_judge=True)
    db.session.add(judge)
    assign(panel, accepted_file(event, organiser), judge)
    from cpevents.judging.queries import judges_behind_by_event

    assert judges_behind_by_event() == {}
    assert "Judges behind" not in _todo(client.get("/organiser").get_data(as_text=True))


# --- the event page -------------------------------------------------------------------------------


def _stage(html: str, key: str) -> str:
    return html.split(f'id="stage-{key}"', 1)[1].split("<h2", 1)[0]


def test_the_event_page_is_a_task_list_by_stage(client):
    organiser = _organiser(client)
    event = _something_in_every_line(organiser)
    html = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    titles = re.findall(r'<h2 class="govuk-heading-m" id="stage-\w+">([^<]+)</h2>', html)
    assert titles == ["Nominations", "Judging", "Invitations", "The night", "After the event"]
    nominations = _stage(html, "nominations")
    assert "1 to match" in _line(nominations, "Match nominations to young people")
    assert "1 to review" in _line(nominations, "Safety answers to review")
    assert "1 to review" in _line(nominations, f"Review the nominations for {event.name}")  # the flagged file (the other is accepted)
    assert "1 judge behind" in _line(_stage(html, "judging"), "Judging: panel, scores, ranking and winners")
    invitations = _stage(html, "invitations")
    assert "1 to approve" in _line(invitations, "Guests waiting for your approval")
    assert "1 to print" in _line(invitations, "Invitation letters to print and hand over")
    assert "to chase" in _line(invitations, "Not replied after the reply-by date")
    assert "Door helpers (0)" in _stage(html, "night")
    # every link the page offered before it became a task list
    for path in ("/edit", "/nomination-window", "/nominations", "/judging", "/invitations", "/audiences/new",
                 "/categories/new", "/door-helpers"):
        assert f'href="/events/{event.public_id}{path}"' in html, path
    assert f'href="/door/events/{event.public_id}"' in html and f'href="/door/events/{event.public_id}/print"' in html


def test_close_this_event_is_offered_only_once_the_event_has_started(client):
    organiser = _organiser(client)
    event = open_event()
    before = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "Close this event" not in before and f"/events/{event.public_id}/close" not in before
    assert "Cannot start yet" in _stage(before, "after")
    event.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    after = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert f'href="/events/{event.public_id}/close"' in after and "Close this event" in after
    event.closed_at, event.closed_by_id = utcnow(), organiser.id
    db.session.commit()
    closed = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    assert "Close this event" not in closed and f'href="/events/{event.public_id}/feedback"' in closed


def test_the_event_page_runs_a_fixed_number_of_queries(client):
    organiser = _organiser(client)
    event = _something_in_every_line(organiser)
    few = queries_for(client, f"/events/{event.public_id}")
    for i in range(3):
        sent_nomination(event, first_name=f"More{i}", last_name="Unmatched")
        invited(event, organiser)
    assert queries_for(client, f"/events/{event.public_id}") == few


def test_late_replies_wait_for_the_reply_by_date(client):
    from tests.invitations.helpers import make_event

    _organiser(client)
    event, organiser = make_event(reply_in_days=30)
    invited(event, organiser)
    html = client.get(f"/events/{event.public_id}").get_data(as_text=True)
    row = _line(_stage(html, "invitations"), "Not replied after the reply-by date")
    assert "Not yet" in row and "Replies are due by the end of" in row and "to chase" not in row
