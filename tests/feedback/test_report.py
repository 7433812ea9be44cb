"""The organisers' feedback page and the objective report's outcome statements."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.feedback.models import FeedbackResponse
from cpevents.feedback.queries import event_summary
from cpevents.reports.queries import Period, objective_report
from tests.factories import make_user, queries_for, sign_in
from tests.feedback.helpers import closed_event


def _responses(event, answers: list[tuple], texts=()):
    """answers: (proud, future, supported, views) per young person."""
    for i, values in enumerate(answers):
        proud, future, supported, views = values
        db.session.add(FeedbackResponse(event_id=event.id, proud=proud, future=future, supported=supported, views=views,
                                        improve=texts[i] if i < len(texts) else "", submitted_on=date.today()))
    db.session.commit()


def test_organisers_see_counts_shares_and_what_young_people_wrote(client):
    event, organiser, replied, _ = closed_event(replied=8)
    # proud: 6 of 8 mostly/completely = 75%; views: 4 answered (skipped by 4) = fewer than 5
    _responses(event, [(5, 4, 3, 5), (4, 4, 2, None), (5, 3, 1, 4), (4, 2, 3, None), (5, 1, 4, 2), (3, 5, 5, None), (4, 4, 4, 1), (1, None, 5, None)],
               texts=["Zebra-print balloons", "", "A quieter room to take a break"])
    summary = event_summary(event)
    assert summary.responses == 8 and summary.links_sent == 8
    proud = summary.statements[0]
    assert proud.answered == 8 and proud.positive == 6 and proud.share == 75
    assert dict(proud.counts) == {"Not at all": 1, "A little": 0, "Somewhat": 1, "Mostly": 3, "Completely": 3}
    views = summary.statements[3]
    assert views.answered == 4 and views.skipped == 4 and views.share is None and views.share_text == "Fewer than 5 answers"
    sign_in(client, organiser)
    html = client.get(f"/events/{event.public_id}/feedback").get_data(as_text=True)
    assert "8 answers from 8 young people" in html and "75%" in html and "Fewer than 5 answers" in html
    # Free text, alphabetical (never in the order given).
    assert html.index("A quieter room") < html.index("Zebra-print balloons")
    assert "What young people told us" in client.get(f"/events/{event.public_id}").get_data(as_text=True)


def test_fewer_than_five_responses_show_no_shares(client):
    event, organiser, _, _ = closed_event(replied=4)
    _responses(event, [(5, 5, 5, 5)] * 4)
    sign_in(client, organiser)
    html = client.get(f"/events/{event.public_id}/feedback").get_data(as_text=True)
    assert "Fewer than 5 young people have answered" in html and "100%" not in html
    assert "Fewer than 5 answers" in html


def test_the_objective_report_and_xlsx_show_the_outcome_statements(client, app):
    event, organiser, _, _ = closed_event(replied=1)
    period = Period.current()
    _responses(event, [(5, 4, 3, 2)] * 6 + [(1, 4, 3, None)] * 4, texts=["Secret free text from a young person"])
    # Feedback for an event held in an earlier year does not count in this one.
    old, _o, _r, _x = closed_event(replied=1)
    old.starts_at = datetime(period.start_year - 1, 7, 1, 18, tzinfo=UTC)
    db.session.commit()
    _responses(old, [(1, 1, 1, 1)] * 7)
    report = objective_report(period)
    assert report.feedback_responses == 10
    shares = {st.key: st.share for st in report.feedback}
    assert shares == {"proud": 60, "future": 100, "supported": 0, "views": 0}  # views: 6 answered, none mostly or completely
    board = make_user(Role.BOARD, totp=True)
    sign_in(client, board)
    html = client.get("/reports/objective").get_data(as_text=True)
    assert "I feel proud of my achievements" in html and "60%" in html and "100%" in html
    assert "Secret free text" not in html
    response = client.get("/reports/objective.xlsx")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows()]
    impact = rows[2][3]
    assert "I feel proud of my achievements: 60%" in impact and "I feel good about my future: 100%" in impact
    assert "10 young people answered" in impact and "not recorded" not in impact
    assert "Secret free text" not in impact
    # The board never reaches the organisers' feedback page (free text).
    assert client.get(f"/events/{event.public_id}/feedback").status_code == 403


def test_new_feedback_shows_on_the_cached_report_at_once(client):
    event, organiser, _, _ = closed_event(replied=1)
    sign_in(client, organiser)
    assert "No event feedback yet" in client.get("/reports/objective").get_data(as_text=True)
    _responses(event, [(5, 5, 5, 5)] * 5)
    assert "100%" in client.get("/reports/objective").get_data(as_text=True)


def test_the_feedback_page_runs_a_constant_number_of_queries(client):
    event, organiser, _, _ = closed_event(replied=2)
    sign_in(client, organiser)
    few = queries_for(client, f"/events/{event.public_id}/feedback")
    _responses(event, [(5, 4, 3, 2)] * 40, texts=[f"Idea {i}" for i in range(40)])
    assert queries_for(client, f"/events/{event.public_id}/feedback") == few
