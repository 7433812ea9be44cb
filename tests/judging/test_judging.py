"""Judges: conflicts first, then scores; other judges' scores hidden until your own are in;
redacted files for young and blind judges; bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.models import Assignment, ConflictType
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.judging.helpers import accepted_file, assign, setup_panel, submitted


def _judge_client(app, judge):
    c = app.test_client()
    sign_in(c, judge.user)
    return c


def _score_data(panel, values, **extra):
    data = {f"c_{c.public_id.replace('-', '')}": str(v) for c, v in zip(panel.criteria, values, strict=True) if v is not None}
    data.update(extra)
    return data


def test_judge_declares_no_conflict_then_scores_saves_and_submits(app, client, smtp_sink):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    file = files[0]
    me, other = judges
    a = assign(panel, file, me)
    submitted(panel, file, other, (4, 4, 4)).comment = "Other judge's private comment"
    db.session.commit()
    c = _judge_client(app, me)

    home = c.get("/judge").get_data(as_text=True)
    assert "Young0" in home and "Declare any conflict" in home and "Surname0" not in home
    # Opening the file first sends the judge to the conflict question.
    assert c.get(f"/judging/{a.public_id}").headers["Location"].endswith(f"/judging/{a.public_id}/conflict")
    page = c.get(f"/judging/{a.public_id}/conflict").get_data(as_text=True)
    assert "Young0 Surname0" in page and "Riverside" in page and "Nadia Worker" in page  # an adult judge knows who they are asked about
    assert "coding club" not in page

    r = post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/judging/{a.public_id}")
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert "Young0 Surname0" in page and "coding club" in page and "Nadia Worker" in page
    assert "Organisers-only background" not in page
    assert "private comment" not in page and "Other judges’ scores" not in page  # hidden until my own are in

    # Save part of it and come back.
    r = post_form(c, f"/judging/{a.public_id}", _score_data(panel, (4, None, None), comment="Strong", save="Save"))
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.saved_at and not a.submitted_at and len(a.scores) == 1
    assert "Saved, not submitted" in c.get("/judge").get_data(as_text=True)

    # Submitting with a criterion missing: a message beside the field, what was typed kept, nothing saved.
    r = post_form(c, f"/judging/{a.public_id}", _score_data(panel, (5, 3, None), comment="Strong effort", submit="Submit"))
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Give a score for Inspiring others" in body and "Strong effort" in body
    db.session.refresh(a)
    assert a.submitted_at is None and [s.value for s in a.scores] == [4]

    # A score outside the scale.
    r = post_form(c, f"/judging/{a.public_id}", _score_data(panel, (5, 9, 3), submit="Submit"))
    assert r.status_code == 400 and "Choose a score from 1 to 5 for Difference it made" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert a.submitted_at is None

    r = post_form(c, f"/judging/{a.public_id}", _score_data(panel, (5, 3, 2), comment="Strong effort", submit="Submit"))
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.submitted_at and sorted(s.value for s in a.scores) == [2, 3, 5]
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert "Other judges’ scores" in page and "private comment" in page and "Judge Number1" in page

    # A second submission changes nothing.
    token = csrf_from(page)
    r = c.post(f"/judging/{a.public_id}", data={"csrf_token": token, **_score_data(panel, (1, 1, 1), submit="Submit")})
    assert r.status_code == 302
    db.session.refresh(a)
    assert sorted(s.value for s in a.scores) == [2, 3, 5]
    assert "already submitted" in c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    actions = db.session.execute(select(AuditEntry.detail).where(AuditEntry.young_person_id == file.young_person_id)).scalars().all()
    assert "no conflict of interest declared" in actions and "scores submitted" in actions and "read by a judge" in actions


def test_declaring_a_conflict_hides_the_file_and_gives_it_to_another_judge(app, smtp_sink, ctx):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=3)
    file = files[0]
    a = assign(panel, file, judges[0])
    assign(panel, file, judges[1])
    c = _judge_client(app, judges[0])
    r = post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "other"})
    assert r.status_code == 400 and "Say what the conflict is" in r.get_data(as_text=True)
    r = post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "knows_nominator"})
    assert r.status_code == 302
    assert c.get(f"/judging/{a.public_id}").status_code == 403
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 403
    assert "Conflict declared" in c.get("/judge").get_data(as_text=True)
    # The third judge now has the file, and was emailed.
    new = db.session.execute(select(Assignment).where(Assignment.file_id == file.id, Assignment.judge_id == judges[2].id)).scalar_one()
    assert new.conflict is None
    mail = smtp_sink.wait_for(judges[2].user.email)
    assert mail[0]["subject"] == "Nominations are ready for you to read"
    # Organisers see it listed.
    o = app.test_client()
    sign_in(o, organiser)
    page = o.get(f"/events/{event.public_id}/judging/conflicts").get_data(as_text=True)
    assert "I know the person who nominated them closely" in page and "Judge Number0" in page


def test_organiser_records_a_conflict_and_the_judges_scores_stop_counting(app, client):
    from cpevents.judging.queries import ranking

    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    a = submitted(panel, files[0], judges[0], (5, 5, 5))
    sign_in(client, organiser)
    path = f"/events/{event.public_id}/judging/conflicts"
    r = post_form(client, path, {"file": files[0].public_id, "judge": judges[0].public_id, "conflict": "works_with", "note": "Their old teacher"})
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.conflict == ConflictType.WORKS_WITH
    assert ranking(panel)[0].files[0].count == 0
    assert "Their old teacher" in client.get(path).get_data(as_text=True)
    r = post_form(client, path, {"file": files[0].public_id, "judge": judges[0].public_id, "conflict": "works_with"})
    assert r.status_code == 400 and "already recorded" in r.get_data(as_text=True)


def test_a_judge_cannot_open_someone_elses_file_or_one_not_accepted(app):
    from cpevents.nominations.models import FileStatus

    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=2)
    theirs = assign(panel, files[0], judges[1])
    mine = assign(panel, files[1], judges[0])
    c = _judge_client(app, judges[0])
    assert c.get(f"/judging/{theirs.public_id}").status_code == 404
    assert c.get(f"/judging/{theirs.public_id}/conflict").status_code == 404
    token = csrf_from(c.get("/judge").get_data(as_text=True))
    assert c.post(f"/judging/{theirs.public_id}/conflict", data={"csrf_token": token, "conflict": "none"}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.conflict is None
    files[1].status = FileStatus.TO_REVIEW  # sent back to review: judges stop seeing it
    db.session.commit()
    assert c.get(f"/judging/{mine.public_id}/conflict").status_code == 404
    assert "Young1" not in c.get("/judge").get_data(as_text=True)
    # A judge who is not on the panel, and other roles.
    stranger = make_user(Role.JUDGE)
    s = app.test_client()
    sign_in(s, stranger)
    assert s.get(f"/judging/{mine.public_id}").status_code == 404
    n = app.test_client()
    sign_in(n, make_user(Role.NOMINATOR))
    assert n.get(f"/judging/{mine.public_id}").status_code == 403
    assert n.get(f"/events/{event.public_id}/judging/ranking").status_code == 403


@pytest.mark.parametrize("how", ["young_judge", "blind"])
def test_young_and_blind_judges_see_the_redacted_file(app, client, how):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    file = files[0]
    judge = judges[0]
    setattr(judge, how, True)
    db.session.commit()
    nomination = file.live_nominations[0]
    sign_in(client, organiser)
    r = post_form(client, f"/judging/nominations/{nomination.public_id}/panel-text", {"text": ""})
    assert r.status_code == 400 and "Enter the text the panel will read" in r.get_data(as_text=True)
    r = post_form(client, f"/judging/nominations/{nomination.public_id}/panel-text",
                  {"text": "Young0 started a coding club at their school and teaches eight younger pupils.", "checked": "y"})
    assert r.status_code == 302
    db.session.refresh(nomination)
    assert "Hillside Academy" in nomination.achievement  # the original is kept

    a = assign(panel, file, judge)
    c = _judge_client(app, judge)
    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert "Young0" in page and "coding club at their school" in page
    # The date of birth in any form (not just "2010", which a random id in a link can contain).
    for hidden in ("Surname0", "Hillside Academy", "Riverside", "Nadia Worker", "February 2010", "2010-02-14", "14/02/2010",
                   "Organisers-only background", "Age on the day"):
        assert hidden not in page, hidden


def test_do_not_publish_surname_never_reaches_a_judge(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    file = accepted_file(event, organiser, first="Ruby", last="Okafor", do_not_publish=True,
                         achievement="Ruby Okafor ran the Riverside 10k for charity.")
    a = assign(panel, file, judges[0])
    c = _judge_client(app, judges[0])
    assert "Okafor" not in c.get("/judge").get_data(as_text=True)
    assert "Okafor" not in c.get(f"/judging/{a.public_id}/conflict").get_data(as_text=True)
    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert "Ruby" in page and "Okafor" not in page and "ran the Riverside 10k" in page
