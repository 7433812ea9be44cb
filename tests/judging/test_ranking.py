"""The fair ranking: a hand-worked example of the normalised score, ties, too few scores, the
export, and a fixed number of queries however many files and judges there are."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from cpevents.extensions import db
from cpevents.judging.models import ConflictType
from cpevents.judging.queries import normalise, ranking
from tests.factories import queries_for, sign_in
from tests.judging.helpers import setup_panel, submitted


def test_normalise_by_hand():
    """Judge 1 totals 25, 15, 25, 15: mean 20, population sd 5, so z = +1, -1, +1, -1.
    Judge 2 totals 13, 9: mean 11, sd 2, so z = +1, -1. Judge 3 scored one file: z = 0.
    Judge 4 gave 10 and 10: sd 0, so z = 0 for both."""
    totals = [(1, 101, 25), (1, 102, 15), (1, 103, 25), (1, 104, 15), (2, 101, 13), (2, 102, 9), (3, 103, 20), (4, 104, 10), (4, 101, 10)]
    result = normalise(totals)
    assert result[101] == {"raw": pytest.approx(16.0), "normalised": pytest.approx(2 / 3), "count": 3}
    assert result[102] == {"raw": pytest.approx(12.0), "normalised": pytest.approx(-1.0), "count": 2}
    assert result[103] == {"raw": pytest.approx(22.5), "normalised": pytest.approx(0.5), "count": 2}
    assert result[104] == {"raw": pytest.approx(12.5), "normalised": pytest.approx(-0.5), "count": 2}


def test_ranking_page_works_the_example_through_the_database(client):
    """Weights are 2, 2 and 1 (the usual criteria), so a total is 2a + 2b + c."""
    organiser, event, panel, files, judges = setup_panel(n_files=5, n_judges=4)
    f1, f2, f3, f4, f5 = files
    a, b, c, d = judges
    panel.min_scores = 3
    submitted(panel, f1, a, (5, 5, 5))  # 25
    submitted(panel, f2, a, (3, 3, 3))  # 15
    submitted(panel, f3, a, (5, 5, 5))  # 25
    submitted(panel, f4, a, (3, 3, 3))  # 15
    submitted(panel, f1, b, (3, 3, 1))  # 13
    submitted(panel, f2, b, (2, 2, 1))  # 9
    conflicted = submitted(panel, f3, b, (5, 5, 5))  # recorded as a conflict later: never counted
    conflicted.conflict = ConflictType.KNOWS_YOUNG_PERSON
    submitted(panel, f3, c, (4, 4, 4))  # 20, c's only file
    submitted(panel, f4, d, (2, 2, 2))  # 10
    submitted(panel, f1, d, (2, 2, 2))  # 10
    db.session.commit()

    rows = {r.file.id: r for g in ranking(panel) for r in g.files}
    assert rows[f1.id].normalised == pytest.approx(2 / 3) and rows[f1.id].raw == pytest.approx(16.0) and not rows[f1.id].too_few
    assert rows[f2.id].normalised == pytest.approx(-1.0) and rows[f2.id].too_few
    assert rows[f3.id].normalised == pytest.approx(0.5) and rows[f3.id].raw == pytest.approx(22.5) and rows[f3.id].count == 2
    assert rows[f4.id].normalised == pytest.approx(-0.5) and rows[f4.id].raw == pytest.approx(12.5)
    assert rows[f5.id].normalised is None and rows[f5.id].too_few and rows[f5.id].rank is None
    # Raw scores would put Young2 first; normalised puts Young0 first.
    assert [rows[f.id].rank for f in (f1, f3, f4, f2)] == [1, 2, 3, 4]

    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
    assert "z-score" in page and "standard deviation" in page
    assert page.index("Young0 Surname0") < page.index("Young2 Surname2") < page.index("Young3 Surname3") < page.index("Young1 Surname1")
    assert "0.67" in page and "16.00" in page and "Too few scores" in page


def test_equal_normalised_scores_are_flagged_as_a_tie(client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=2)
    g1, g2 = files
    x, y = judges
    submitted(panel, g1, x, (5, 5, 5))
    submitted(panel, g2, x, (1, 1, 1))
    submitted(panel, g1, y, (1, 1, 1))
    submitted(panel, g2, y, (5, 5, 5))
    rows = [r for g in ranking(panel) for r in g.files]
    assert all(r.tie and r.normalised == pytest.approx(0.0) for r in rows)
    sign_in(client, organiser)
    assert client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True).count(">Tie<") == 2


def test_ranking_exports_hold_raw_and_normalised_figures(client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=1)
    submitted(panel, files[0], judges[0], (5, 5, 5))
    submitted(panel, files[1], judges[0], (1, 1, 1))
    files[1].young_person.first_name = "=HYPERLINK(1)"
    db.session.commit()
    sign_in(client, organiser)
    response = client.get(f"/events/{event.public_id}/judging/ranking.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][3:5] == ["Raw weighted mean", "Normalised score"]
    assert rows[1][2] == "Young0 Surname0" and rows[1][3] == "25.00" and rows[1][4] == "1.00"
    assert rows[2][2].startswith("'=")  # never run as a formula
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.public_id}/judging/ranking.xlsx").data))
    sheet = book.active
    assert [cell.value for cell in sheet[1]][3:5] == ["Raw weighted mean", "Normalised score"]


def test_ranking_uses_a_fixed_number_of_queries(client):
    organiser, event, panel, files, judges = setup_panel(n_files=3, n_judges=2)
    for f in files:
        for j in judges:
            submitted(panel, f, j, (3, 4, 5))
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/ranking"
    small = queries_for(client, path)

    from cpevents.core.enums import Role
    from cpevents.judging.models import PanelJudge
    from tests.factories import make_user
    from tests.judging.helpers import accepted_file

    users = [make_user(Role.JUDGE) for _ in range(6)]
    more_judges = judges + [PanelJudge(panel_id=panel.id, user_id=u.id) for u in users]
    db.session.add_all(more_judges[2:])
    db.session.commit()
    more_files = [accepted_file(event, organiser, first=f"More{i}", last="Person", category=i % 3) for i in range(17)]
    for i, f in enumerate(files + more_files):
        for j in more_judges:
            if not (f in files and j in judges):  # those were scored above
                submitted(panel, f, j, ((i % 5) + 1, (j.id % 5) + 1, 3))
    large = queries_for(client, path)
    assert large == small, (small, large)
    assert client.get(path).get_data(as_text=True).count("/judging/files/") == 20


def test_a_kept_ranking_is_never_served_after_a_change(client, app):
    from cpevents.judging.models import DecisionKind
    from cpevents.judging.services import decide

    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    submitted(panel, files[0], judges[0], (3, 3, 3))
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/ranking"
    first = client.get(path).get_data(as_text=True)
    client.get(path)  # kept now
    assert ">Shortlisted<" not in first
    with app.test_request_context():
        decide(panel, files[0], DecisionKind.SHORTLIST, True, "Good", by=organiser)
    db.session.commit()
    assert ">Shortlisted<" in client.get(path).get_data(as_text=True)
    files[0].young_person.first_name = "Renamed"
    db.session.commit()
    assert "Renamed Surname0" in client.get(path).get_data(as_text=True)
