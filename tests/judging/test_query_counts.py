"""Issue 19: the judging pages run the same number of SQL statements with 2 files as with 8."""

from __future__ import annotations

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import ConflictType, PanelJudge
from cpevents.nominations.models import NominationFile
from tests.factories import make_user, queries_for, sign_in
from tests.judging.helpers import accepted_file, assign, setup_panel


def files_of(event) -> list[NominationFile]:
    return list(db.session.execute(db.select(NominationFile).where(NominationFile.event_id == event.id).order_by(NominationFile.id)).scalars())


def _grow(event, organiser, panel, judges, start, n):
    for i in range(start, start + n):
        file = accepted_file(event, organiser, first=f"Young{i}", last=f"Surname{i}")
        for judge in judges:
            a = assign(panel, file, judge)
            if i % 2:
                a.conflict, a.conflict_declared_at = ConflictType.KNOWS_YOUNG_PERSON, utcnow()
    db.session.commit()


def test_organisers_judging_pages_do_not_grow_with_files_and_judges(client):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=3)
    _grow(event, organiser, panel, judges, 0, 2)
    sign_in(client, organiser)
    paths = [f"/events/{event.public_id}/judging", f"/events/{event.public_id}/judging/conflicts"]
    few = [queries_for(client, path) for path in paths]
    _grow(event, organiser, panel, judges, 2, 6)
    for i in range(3):  # more judges too, each with files
        judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE, name=f"Judge Later{i}").id)
        db.session.add(judge)
        db.session.flush()
        assign(panel, files_of(event)[i], judge)
    assert [queries_for(client, path) for path in paths] == few


def test_a_judges_home_does_not_grow_with_their_files(client):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    _grow(event, organiser, panel, judges[:1], 0, 2)
    sign_in(client, db.session.get(type(judges[0].user), judges[0].user_id))
    few = queries_for(client, "/judge")
    _grow(event, organiser, panel, judges[:1], 2, 6)
    assert queries_for(client, "/judge") == few
