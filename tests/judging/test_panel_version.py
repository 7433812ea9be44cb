"""Young and blind judges read only the organisers' panel version (issue 13): no street, school,
carer, district or surname from the nominator's own words, no other judge's name or comment, and
no file at all until every nomination in it has a panel version. Full-file judges still read the
nominator's words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.models import Assignment, PanelText
from cpevents.judging.services import set_panel_text
from cpevents.nominations.models import Nomination, NominationStatus
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.judging.helpers import accepted_file, assign, setup_panel, submitted
from tests.judging.test_winners_secret import _pages

ORIGINAL = ("Ava lives at 12 Acacia Road in Northfield and goes to Riverside Academy. Her carer Mrs Patel says "
            "Ava Quartey has read to the younger children every night this year.")
PANEL_VERSION = "Ava has read to the younger children where she lives every night this year, and it has helped them settle."
# Nothing of these may reach a young or blind judge.
IDENTIFYING = ("12 Acacia Road", "Acacia", "Riverside Academy", "Mrs Patel", "Patel", "Northfield", "Quartey", "Nadia Worker")
OTHER_COMMENT = "I taught Ava Quartey at Riverside Academy in Northfield"


def _judge_client(app, judge):
    c = app.test_client()
    sign_in(c, judge.user)
    return c


def _score_data(panel, values, **extra):
    data = {f"c_{c.public_id.replace('-', '')}": str(v) for c, v in zip(panel.criteria, values, strict=True)}
    data.update(extra)
    return data


def _ava(event, organiser, *, panel_version: str | None = PANEL_VERSION):
    file = accepted_file(event, organiser, first="Ava", last="Quartey", district="Northfield", achievement=ORIGINAL)
    if panel_version is not None:
        set_panel_text(file.live_nominations[0], panel_version, by=organiser)
        db.session.commit()
    return file


def _second_nomination(file, text="Ava helped run the summer fair at Riverside Academy."):
    """Another nominator's words joining the file (an organiser accepted it again)."""
    first = file.live_nominations[0]
    other = make_user(Role.NOMINATOR, name="Omar Other")
    n = Nomination(event_id=first.event_id, nominator_id=other.id, category_id=first.category_id, status=NominationStatus.SENT,
                   first_name="Ava", last_name="Quartey", date_of_birth=first.date_of_birth, care_status=first.care_status,
                   district="Northfield", relationship_type=first.relationship_type, worked_with_recently=True, achievement=text,
                   young_person_knows=first.young_person_knows, public_concern=first.public_concern, file_id=file.id,
                   young_person_id=file.young_person_id, submitted_at=first.submitted_at)
    db.session.add(n)
    db.session.commit()
    db.session.refresh(file)
    return n


def _redacted(judge, how):
    setattr(judge, how, True)
    db.session.commit()
    return judge


@pytest.mark.parametrize("how", ["young_judge", "blind"])
def test_young_and_blind_judges_read_only_the_panel_version_and_no_district(app, ctx, how):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    file = _ava(event, organiser)
    judge = _redacted(judges[0], how)
    a = assign(panel, file, judge)
    c = _judge_client(app, judge)

    home = c.get("/judge").get_data(as_text=True)
    assert "Ava" in home
    page = c.get(f"/judging/{a.public_id}/conflict").get_data(as_text=True)
    assert "do you know Ava?" in page
    for hidden in IDENTIFYING + ("District",):
        assert hidden not in home, hidden
        assert hidden not in page, hidden

    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert PANEL_VERSION in page
    for hidden in IDENTIFYING + ("District", "lives at"):
        assert hidden not in page, hidden


@pytest.mark.parametrize("how", ["young_judge", "blind"])
def test_a_file_without_a_panel_version_is_hidden_from_young_and_blind_judges(app, client, ctx, how):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    file = _ava(event, organiser, panel_version=None)
    judge = _redacted(judges[0], how)
    a = assign(panel, file, judge)  # given before the rule, or before the judge was switched to blind
    c = _judge_client(app, judge)

    assert "Ava" not in c.get("/judge").get_data(as_text=True)
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 404
    assert c.get(f"/judging/{a.public_id}").status_code == 404
    token = csrf_from(c.get("/judge").get_data(as_text=True))
    assert c.post(f"/judging/{a.public_id}/conflict", data={"csrf_token": token, "conflict": "none"}).status_code == 404
    db.session.refresh(a)
    assert a.conflict is None

    # The organiser writes it: the file appears.
    set_panel_text(file.live_nominations[0], PANEL_VERSION, by=organiser)
    db.session.commit()
    assert "Ava" in c.get("/judge").get_data(as_text=True)
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 200

    # A second nomination joins the file: hidden again until it has its own panel version,
    # never shown in the nominator's own words.
    second = _second_nomination(file)
    assert "Ava" not in c.get("/judge").get_data(as_text=True)
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 404
    set_panel_text(second, "Ava helped run a summer fair.", by=organiser)
    db.session.commit()
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 200

    # A panel version emptied later (by hand in the database, say): hidden again at once.
    row = db.session.execute(select(PanelText).where(PanelText.nomination_id == second.id)).scalar_one()
    row.text = "   "
    db.session.commit()
    assert c.get(f"/judging/{a.public_id}/conflict").status_code == 404
    db.session.delete(row)
    db.session.commit()
    assert c.get(f"/judging/{a.public_id}").status_code == 404
    assert "Ava" not in c.get("/judge").get_data(as_text=True)


def test_assigning_never_gives_young_or_blind_judges_a_file_waiting_for_a_panel_version(app, client, ctx):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=3)
    ready = _ava(event, organiser)
    waiting = accepted_file(event, organiser, first="Ben", last="Waiting", achievement="Ben ran the Northfield 10k.")
    young, blind, full = judges
    _redacted(young, "young_judge")
    _redacted(blind, "blind")
    sign_in(client, organiser)
    page_path = f"/events/{event.public_id}/judging"
    path = f"{page_path}/assign"

    def given():
        return set(db.session.execute(select(Assignment.file_id, Assignment.judge_id).where(Assignment.panel_id == panel.id)).all())

    assert post_form(client, path, {"method": "spread", "per_file": "3"}, get_path=page_path).status_code == 302
    assert given() == {(ready.id, young.id), (ready.id, blind.id), (ready.id, full.id), (waiting.id, full.id)}
    assert post_form(client, path, {"method": "all"}, get_path=page_path).status_code == 302
    assert (waiting.id, young.id) not in given() and (waiting.id, blind.id) not in given()
    r = post_form(client, path, {"method": "category", "category": event.categories[0].public_id, "judges": [young.public_id]}, get_path=page_path)
    assert r.status_code == 302 and (waiting.id, young.id) not in given()
    assert "1 file is waiting for a panel version" in client.get(page_path).get_data(as_text=True)

    # Once written, giving out files again reaches them.
    set_panel_text(waiting.live_nominations[0], "Ben ran a 10k race for charity.", by=organiser)
    db.session.commit()
    assert post_form(client, path, {"method": "all"}, get_path=page_path).status_code == 302
    assert {(waiting.id, young.id), (waiting.id, blind.id)} <= given()
    assert "waiting for a panel version" not in client.get(page_path).get_data(as_text=True)


def test_a_conflict_does_not_pass_a_waiting_file_to_a_young_judge(app, ctx):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=2)
    file = accepted_file(event, organiser, first="Ben", last="Waiting")
    full, young = judges
    _redacted(young, "young_judge")
    a = assign(panel, file, full)
    c = _judge_client(app, full)
    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "knows_nominator"})
    assert db.session.execute(select(Assignment).where(Assignment.judge_id == young.id)).scalar_one_or_none() is None


@pytest.mark.parametrize("how", ["young_judge", "blind"])
def test_after_submitting_young_and_blind_judges_see_no_other_judges_names_or_comments(app, ctx, how):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=2)
    file = _ava(event, organiser)
    me, other = judges
    _redacted(me, how)
    submitted(panel, file, other, (4, 2, 5)).comment = OTHER_COMMENT
    db.session.commit()
    a = assign(panel, file, me)
    c = _judge_client(app, me)
    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    r = post_form(c, f"/judging/{a.public_id}", _score_data(panel, (3, 3, 3), comment="Lovely", submit="Submit"))
    assert r.status_code == 302
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert "Your scores (submitted)" in page and "Lovely" in page
    # Their scores, without their name or words.
    assert "Other judges’ scores" in page and "Another judge" in page
    for hidden in (OTHER_COMMENT, "I taught", "Judge Number1") + IDENTIFYING:
        assert hidden not in page, hidden


def test_no_page_a_young_judge_can_open_shows_the_nominators_words_a_district_or_other_judges(app, client, ctx):
    """Every GET address the judge role may open, with every id we know, before declaring and
    after submitting."""
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=2)
    file = _ava(event, organiser)
    young, other = judges
    _redacted(young, "young_judge")
    submitted(panel, file, other, (4, 2, 5)).comment = OTHER_COMMENT
    db.session.commit()
    a = assign(panel, file, young)
    ids = {"event": event.public_id, "file": file.public_id, "assignment": a.public_id, "young_person": file.young_person.public_id,
           "nomination": file.live_nominations[0].public_id, "panel": panel.public_id, "judge": young.public_id}
    sign_in(client, young.user)

    def sweep():
        opened = []
        for path in _pages(app, Role.JUDGE, ids):
            response = client.get(path)
            if response.status_code != 200:
                continue
            opened.append(path)
            text = response.get_data(as_text=True)
            for hidden in IDENTIFYING + (OTHER_COMMENT, "Judge Number1", "District"):
                assert hidden not in text, (path, hidden)
        return opened

    assert f"/judging/{a.public_id}/conflict" in sweep()
    post_form(client, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    post_form(client, f"/judging/{a.public_id}", _score_data(panel, (3, 3, 3), submit="Submit"))
    assert f"/judging/{a.public_id}" in sweep()


def test_a_full_file_judge_still_reads_the_nominators_words_and_other_judges_comments(app, ctx):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=2)
    file = _ava(event, organiser)
    me, other = judges
    submitted(panel, file, other, (4, 2, 5)).comment = OTHER_COMMENT
    db.session.commit()
    a = assign(panel, file, me)
    c = _judge_client(app, me)
    assert "Northfield" in c.get(f"/judging/{a.public_id}/conflict").get_data(as_text=True)
    post_form(c, f"/judging/{a.public_id}/conflict", {"conflict": "none"})
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    for shown in ("12 Acacia Road", "Riverside Academy", "Her carer Mrs Patel", "Northfield", "Ava Quartey", "Nadia Worker"):
        assert shown in page, shown
    assert PANEL_VERSION not in page
    post_form(c, f"/judging/{a.public_id}", _score_data(panel, (3, 3, 3), submit="Submit"))
    page = c.get(f"/judging/{a.public_id}").get_data(as_text=True)
    assert OTHER_COMMENT in page and "Judge Number1" in page


def test_organisers_see_which_files_wait_for_a_panel_version_and_write_them(app, client, ctx):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    done = _ava(event, organiser)
    waiting = accepted_file(event, organiser, first="Ben", last="Waiting", district="Northfield",
                            achievement="Ben Waiting ran the Northfield 10k with his carer.")
    sign_in(client, organiser)
    page = client.get(f"/events/{event.public_id}/judging").get_data(as_text=True)
    link = f"/events/{event.public_id}/judging/panel-versions"
    assert "1 file is waiting for a panel version" in page and link in page

    listing = client.get(link).get_data(as_text=True)
    nomination = waiting.live_nominations[0]
    assert "Ben Waiting" in listing and f"/judging/nominations/{nomination.public_id}/panel-text" in listing
    assert "Waiting for a panel version" in listing and "Ava Quartey" in listing  # written ones listed after

    path = f"/judging/nominations/{nomination.public_id}/panel-text"
    form = client.get(path).get_data(as_text=True)
    assert "their surname (Waiting)" in form and "their district (Northfield)" in form  # what to look for is spelled out
    assert "I have taken out anything that could identify Ben" in form
    # The young person's surname or district left in, or the box not ticked: refused, nothing saved.
    r = post_form(client, path, {"text": "Ben ran the Northfield 10k.", "checked": "y"})
    assert r.status_code == 400 and "still names their district (Northfield)" in r.get_data(as_text=True)
    r = post_form(client, path, {"text": "Ben waiting for the bus ran a 10k.", "checked": "y"})
    assert r.status_code == 400 and "still has their surname (Waiting)" in r.get_data(as_text=True)
    r = post_form(client, path, {"text": "Ben ran a 10k race."})
    assert r.status_code == 400 and "Confirm you have taken out" in r.get_data(as_text=True)
    body = post_form(client, path, {"text": "Ben Waiting ran a 10k race."}).get_data(as_text=True)
    assert "Confirm you have taken out" in body and "still has their surname (Waiting)" in body  # both at once
    assert db.session.execute(select(PanelText).where(PanelText.nomination_id == nomination.id)).scalar_one_or_none() is None

    r = post_form(client, path, {"text": "Ben ran a 10k race.", "checked": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith(link)
    assert "waiting for a panel version" not in client.get(f"/events/{event.public_id}/judging").get_data(as_text=True)
    decide = client.get(f"/judging/files/{done.public_id}").get_data(as_text=True)
    assert PANEL_VERSION in decide


def test_the_file_page_warns_organisers_when_young_judges_cannot_read_it_yet(client):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=0)
    sign_in(client, organiser)
    page = client.get(f"/judging/files/{files[0].public_id}").get_data(as_text=True)
    assert "Young and blind judges cannot see this file until every nomination in it has a panel version" in page

