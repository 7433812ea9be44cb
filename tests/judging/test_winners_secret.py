"""Winners are secret until the organiser publishes the results: no judge, nominator or board
member can read a winner through any page or export they can open."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from cpevents.core.access import ACCESS_ATTR
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.models import DecisionKind
from cpevents.judging.services import decide, release_shortlist
from tests.factories import make_user, sign_in
from tests.judging.helpers import accepted_file, ready_to_release, setup_panel, submitted

SECRET = "SECRET-WINNER-REASON"
WINNER_WORD = re.compile(r"\bWinners?\b(?! are announced)|\bwinner of\b|\bwon\b")


def _readable(response) -> str:
    if "spreadsheetml" in response.mimetype:
        book = load_workbook(io.BytesIO(response.data))
        return " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None)
    return response.get_data(as_text=True)


def _pages(app, role: Role, ids: dict) -> list[str]:
    """Every GET address this role may open, with each id we know filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        access = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, "")
        if access.startswith("roles:") and role.value not in access.removeprefix("roles:").split(","):
            continue  # refused with 403 (tests/core/test_access_rules.py)
        if access in ("token", "pending-sign-in"):
            continue
        args = [a for a in rule.arguments]
        if not args:
            paths.append(rule.rule)
            continue
        if any(a not in ("public_id", "fmt", "event_id") for a in args):
            continue
        for value in ids.values():
            for fmt in (["csv", "xlsx"] if "fmt" in args else [None]):
                values = {a: value for a in args if a in ("public_id", "event_id")}
                if fmt:
                    values["fmt"] = fmt
                try:
                    paths.append(rule.build(values, append_unknown=False)[1])
                except Exception:  # noqa: BLE001, S112 - a converter refused the value
                    continue
    return sorted(set(paths))


@pytest.mark.parametrize("role", [Role.JUDGE, Role.NOMINATOR, Role.BOARD])
def test_nobody_but_organisers_reads_a_winner_before_publication(app, client, ctx, role):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=0)
    judge_user = make_user(Role.JUDGE)
    nominator = make_user(Role.NOMINATOR, name="Nina Nominator")
    file = accepted_file(event, organiser, nominator, first="Wendy", last="Okoro")
    from cpevents.judging.models import PanelJudge

    judge = PanelJudge(panel_id=panel.id, user_id=judge_user.id)
    db.session.add(judge)
    db.session.commit()
    assignment = submitted(panel, file, judge, (5, 5, 5))
    # (matching the nomination linked the nominator to the young person, so their pages show them)
    decide(panel, file, DecisionKind.SHORTLIST, True, "Shortlisted for the evening", by=organiser)
    decide(panel, file, DecisionKind.WINNER, True, SECRET, by=organiser)
    ready_to_release(event, panel, [])  # nominations closed; the file is scored above
    release_shortlist(panel, by=organiser)
    db.session.commit()

    user = {Role.JUDGE: judge_user, Role.NOMINATOR: nominator, Role.BOARD: make_user(Role.BOARD, totp=True)}[role]
    sign_in(client, user)
    ids = {"event": event.public_id, "file": file.public_id, "assignment": assignment.public_id, "young_person": file.young_person.public_id,
           "nomination": file.live_nominations[0].public_id, "panel": panel.public_id, "judge": judge.public_id}
    opened = 0
    for path in _pages(app, role, ids):
        response = client.get(path)
        if response.status_code != 200:
            continue
        opened += 1
        text = _readable(response)
        assert SECRET not in text, path
        if path == "/winners":  # the public list of published winners pages (issue 16): titled "Winners", this event not on it
            assert event.name not in text and "Wendy" not in text
            continue
        assert not WINNER_WORD.search(text), (path, WINNER_WORD.search(text).group(0))
    assert opened >= 8, opened
    if role == Role.NOMINATOR:
        assert "Shortlisted" in client.get("/nominator").get_data(as_text=True)
    if role == Role.JUDGE:
        assert "Submitted" in client.get("/judge").get_data(as_text=True)


def test_organisers_do_see_winners_so_the_check_above_can_find_them(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=0)
    with app.test_request_context():
        decide(panel, files[0], DecisionKind.SHORTLIST, True, "Shortlisted", by=organiser)
        decide(panel, files[0], DecisionKind.WINNER, True, SECRET, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    assert SECRET in client.get(f"/judging/files/{files[0].public_id}").get_data(as_text=True)
    assert WINNER_WORD.search(client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True))
    assert WINNER_WORD.search(_readable(client.get(f"/events/{event.public_id}/judging/ranking.xlsx")))
