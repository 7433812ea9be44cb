"""The celebration objective report: aggregates only, small numbers hidden, constant queries."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.champions.models import ChampionService, PledgeKind
from cpevents.champions.services import add_service, apply_signed_in, approve_champion
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.reports.queries import Period, objective_report, shown
from cpevents.young_people.models import CareStatus
from cpevents.young_people.services import create_young_person
from tests.factories import make_user, queries_for, sign_in
from tests.nominations.test_journey import open_event


def _people(n, organiser):
    return [create_young_person({"first_name": f"Unique{i}name", "last_name": f"Surname{i}x", "date_of_birth": date(2008, 1, 1),
                                 "care_status": CareStatus.IN_CARE}, by=organiser) for i in range(n)]


def _achievements(people, worker, per_month: dict[tuple[int, int], int], area=AchievementArea.EDUCATION):
    rows = []
    for (year, month), n in per_month.items():
        for i in range(n):
            rows.append(Achievement(young_person_id=people[i % len(people)].id, recorded_by_id=worker.id, achieved_on=date(year, month, 1 + i % 27),
                                    area=area, description="Did well", celebrated_with="Carer"))
    db.session.add_all(rows)
    db.session.commit()


def test_the_strategy_year_runs_from_april_to_march():
    assert Period.current(date(2026, 3, 31)) == Period(2025)
    assert Period.current(date(2026, 4, 1)) == Period(2026)
    assert Period(2025).label == "1 April 2025 to 31 March 2026"
    assert Period(2025).months()[0] == (2025, 4) and Period(2025).months()[-1] == (2026, 3)


def test_small_numbers_are_not_given_exactly():
    assert [shown(n) for n in (0, 1, 4, 5, 1234)] == ["0", "fewer than 5", "fewer than 5", "5", "1,234"]


def test_figures_are_grouped_by_area_and_month_within_the_year(app):
    organiser = make_user(Role.ORGANISER)
    worker = make_user(Role.NOMINATOR)
    people = _people(6, organiser)
    _achievements(people, worker, {(2025, 4): 7, (2025, 12): 3, (2026, 3): 6})
    _achievements(people, worker, {(2025, 5): 5}, area=AchievementArea.HEALTH)
    _achievements(people, worker, {(2025, 3): 9, (2026, 4): 9})  # outside the year
    report = objective_report(Period(2025))
    assert report.achievements_total == 21 and report.achievements_young_people == 6
    assert dict(report.by_area)["Education"] == 16 and dict(report.by_area)["Health and wellbeing"] == 5
    months = dict(report.by_month)
    assert months["April 2025"] == 7 and months["December 2025"] == 3 and months["March 2026"] == 6 and months["January 2026"] == 0


def test_the_board_reads_the_report_with_no_names_and_small_numbers_hidden(app, client):
    organiser = make_user(Role.ORGANISER)
    worker = make_user(Role.NOMINATOR)
    people = _people(3, organiser)
    today = date.today()
    period = Period.current()
    _achievements(people, worker, {(period.start_year, 4): 8, (period.start_year, 5): 2})
    event = open_event()
    db.session.add(Nomination(event_id=event.id, nominator_id=worker.id, status=NominationStatus.SENT, first_name="Nominatedperson",
                              last_name="Secretname", submitted_at=datetime.now(UTC)))
    db.session.commit()
    board = make_user(Role.BOARD, totp=True)
    sign_in(client, board)
    assert "/reports/objective" in client.get("/board").get_data(as_text=True)
    response = client.get("/reports/objective")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert period.label in html
    assert "fewer than 5" in html  # May's 2, and the one nomination
    assert ">8<" in html
    for person in people:
        assert person.first_name not in html and person.last_name not in html
    assert "Nominatedperson" not in html and "Secretname" not in html and worker.name not in html
    assert "Attendance: no awards evening held in this year yet" in html
    assert "<svg" in html and 'role="img"' in html and "style=" not in html.split("<main", 1)[1]
    assert today  # the default period is the current strategy year


def test_an_unknown_year_falls_back_to_the_current_one_with_a_message(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    for bad in ("1999", "abc", "999999999999999999999", "2100", "¹", "٣", "²⁰²⁴"):  # digits Python reads but int() refuses
        response = client.get(f"/reports/objective?year={bad}")
        assert response.status_code == 200 and "We could not show the year you asked for" in response.get_data(as_text=True)
    assert "1 April 2024 to 31 March 2025" in client.get("/reports/objective?year=2024").get_data(as_text=True)


def test_the_report_runs_a_constant_number_of_queries(app, client):
    organiser = make_user(Role.ORGANISER, totp=True)
    worker = make_user(Role.NOMINATOR)
    people = _people(5, organiser)
    start = Period.current().start_year
    _achievements(people, worker, {(start, 4): 5})
    sign_in(client, organiser)
    few = queries_for(client, "/reports/objective")
    _achievements(people + _people(20, organiser), worker, {(start, m): 40 for m in range(4, 13)})
    assert queries_for(client, "/reports/objective") == few


def test_the_action_plan_export_has_one_row_per_action_and_is_safe_in_a_spreadsheet(app, client):
    organiser = make_user(Role.ORGANISER, totp=True)
    service = add_service("=HYPERLINK(\"http://evil\")")
    db.session.commit()
    for i in range(6):
        user = make_user(Role.NOMINATOR, name=f"Champion {i}")
        with app.test_request_context():
            champion = apply_signed_in(user, job_title="Officer", service=db.session.execute(select(ChampionService).where(ChampionService.name == "Libraries")).scalar_one(),
                                       pledges=[PledgeKind.MENTOR], pledge_words="x")
            approve_champion(champion, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    response = client.get("/reports/objective.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Objective", "Action", "Evidence", "Impact", "Period"]
    assert [r[1] for r in rows[1:]] == ["We will have Corporate Parenting Champions across the council",
                                        "Events that recognise and celebrate achievement, e.g. PROUD awards"]
    assert "6 current Corporate Parenting Champions" in rows[1][2]
    assert "mostly" in rows[2][3] and "no feedback received yet" in rows[2][3]  # real figures: tests/feedback/test_report.py
    for row in rows:
        for value in row:
            assert not str(value or "").startswith(("=", "+", "-", "@"))
    assert service.name in rows[1][2]  # listed among services with no champion, inside text, so never a formula


def test_a_new_achievement_shows_on_the_report_at_once_though_the_body_is_cached(app, client):
    organiser = make_user(Role.ORGANISER, totp=True)
    worker = make_user(Role.NOMINATOR)
    people = _people(2, organiser)
    start = Period.current().start_year
    _achievements(people, worker, {(start, 4): 6})
    sign_in(client, organiser)
    assert "6 achievements recorded" in client.get("/reports/objective").get_data(as_text=True)
    cached = queries_for(client, "/reports/objective")
    _achievements(people, worker, {(start, 4): 1})
    html = client.get("/reports/objective").get_data(as_text=True)
    assert "7 achievements recorded" in html
    assert queries_for(client, "/reports/objective") == cached


def test_shortlisted_young_people_count_only_once_the_shortlist_is_released(client, app):
    from datetime import timedelta

    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import decide, release_shortlist
    from tests.judging.helpers import ready_to_release, setup_panel

    organiser, event, panel, files, _ = setup_panel(n_files=6, n_judges=1)
    ready_to_release(event, panel, files)  # nominations closed, every file scored
    period = Period.current()
    event.starts_at = period.bounds_utc()[0] + timedelta(days=1)  # an awards evening held this strategy year
    for file in files:
        decide(panel, file, DecisionKind.SHORTLIST, True, "Strong file", by=organiser)
    decide(panel, files[0], DecisionKind.SHORTLIST, False, "Changed our minds", by=organiser)  # the latest decision counts
    db.session.commit()
    assert objective_report(period).shortlisted_by_event == []  # secret until released
    with app.test_request_context():
        release_shortlist(panel, by=organiser)  # emails each nominator
    db.session.commit()
    assert objective_report(period).shortlisted_by_event == [(event.name, 5)]
    sign_in(client, make_user(Role.BOARD, totp=True))
    html = client.get(f"/reports/objective?year={period.start_year}").get_data(as_text=True)
    assert "Young people shortlisted, by event held this year" in html and event.name in html
