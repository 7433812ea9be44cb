"""A judge's day (issue 20): conflicts declared knowing who, even after scoring (the scores are
then set aside and the ranking says so); the list with what is still to do first, a filter and
enough to tell two young people of the same first name apart; and after submitting, the next
file still to do instead of the list."""

from __future__ import annotations

from sqlalchemy import select

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db
from cpevents.judging.models import ConflictType
from cpevents.judging.queries import file_reference
from cpevents.judging.services import set_panel_text
from tests.factories import post_form, sign_in
from tests.judging.helpers import accepted_file, assign, setup_panel, submitted


def _score_data(panel, values, **extra):
    data = {f"c_{c.public_id.replace('-', '')}": str(v) for c, v in zip(panel.criteria, values, strict=True)}
    data.update(extra)
    return data


def _declared(panel, file, judge):
    a = assign(panel, file, judge)
    a.conflict = ConflictType.NONE
    db.session.commit()
    return a


def test_the_conflict_page_names_who_as_the_judges_view_allows(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=2)
    file = accepted_file(event, organiser, first="Kai", last="Mensah")
    hidden = accepted_file(event, organiser, first="Rhea", last="Hiddenname", do_not_publish=True)
    adult, young = judges
    young.young_judge = True
    db.session.commit()
    for f in (file, hidden):
        with app.test_request_context():
            set_panel_text(f.live_nominations[0], "Started a club and teaches younger pupils.", by=organiser)
    db.session.commit()

    sign_in(client, adult.user)
    page = client.get(f"/judging/{assign(panel, file, adult).public_id}/conflict").get_data(as_text=True)
    assert "do you know Kai Mensah?" in page and "Nadia Worker, social worker" in page and file_reference(file) in page
    page = client.get(f"/judging/{assign(panel, hidden, adult).public_id}/conflict").get_data(as_text=True)
    assert "do you know Rhea?" in page and "Hiddenname" not in page  # "do not publish": first name only, as on the file

    y = app.test_client()
    sign_in(y, young.user)
    page = y.get(f"/judging/{assign(panel, file, young).public_id}/conflict").get_data(as_text=True)
    assert "do you know Kai?" in page and "social worker" in page
    assert "Mensah" not in page and "Nadia Worker" not in page and "Riverside" not in page


def test_a_judge_can_declare_a_conflict_after_submitting_and_the_scores_are_set_aside(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=3)
    file = files[0]
    mine = submitted(panel, file, judges[0], (5, 5, 5))
    submitted(panel, file, judges[1], (2, 2, 2))
    sign_in(client, judges[0].user)
    page = client.get(f"/judging/{mine.public_id}").get_data(as_text=True)
    assert f'href="/judging/{mine.public_id}/conflict"' in page
    page = client.get(f"/judging/{mine.public_id}/conflict")
    assert page.status_code == 200 and "set aside" in page.get_data(as_text=True)
    r = post_form(client, f"/judging/{mine.public_id}/conflict", {"conflict": "knows_young_person"})
    assert r.status_code == 302
    db.session.refresh(mine)
    assert mine.conflict == ConflictType.KNOWS_YOUNG_PERSON and len(mine.scores) == 3  # kept, not counted
    assert client.get(f"/judging/{mine.public_id}").status_code == 403
    details = db.session.execute(select(AuditEntry.detail).where(AuditEntry.young_person_id == file.young_person_id)).scalars().all()
    assert "conflict of interest declared after scoring: scores set aside" in details

    o = app.test_client()
    sign_in(o, organiser)
    ranking = o.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
    assert "1 score set aside: conflict of interest declared after scoring" in ranking
    from cpevents.judging.queries import ranking as rank

    conflicts = o.get(f"/events/{event.public_id}/judging/conflicts").get_data(as_text=True)
    assert "Declared after submitting scores: they are set aside and not counted" in conflicts
    (group,) = rank(panel)
    assert group.files[0].count == 1 and group.files[0].raw == 10.0  # only the other judge's 2s (weights 2, 2, 1)


def test_the_list_puts_what_is_still_to_do_first_filters_and_tells_same_names_apart(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=0, n_judges=1)
    judge = judges[0]
    done = accepted_file(event, organiser, first="Sam", last="Alpha", category=0)
    to_do = accepted_file(event, organiser, first="Sam", last="Beta", category=1)
    other = accepted_file(event, organiser, first="Ade", last="Gamma", category=0)
    submitted(panel, done, judge, (3, 3, 3))
    assign(panel, to_do, judge)
    assign(panel, other, judge)
    sign_in(client, judge.user)
    page = client.get("/judge").get_data(as_text=True)
    rows = page.split("<tbody")[1].split("</tbody>")[0]
    assert "Alpha" not in rows and "Beta" not in rows  # never a surname on the list
    refs = [file_reference(f) for f in (to_do, other, done)]
    assert all(r in rows for r in refs)
    assert rows.index(refs[0]) < rows.index(refs[2]) and rows.index(refs[1]) < rows.index(refs[2])  # to do first
    assert event.categories[0].name in rows and event.categories[1].name in rows
    only_done = client.get("/judge?show=done").get_data(as_text=True).split("<tbody")[1]
    assert refs[2] in only_done and refs[0] not in only_done and refs[1] not in only_done
    to_do_in_award = client.get(f"/judge?show=to_do&award={event.categories[0].public_id}").get_data(as_text=True).split("<tbody")[1]
    assert refs[1] in to_do_in_award and refs[0] not in to_do_in_award and refs[2] not in to_do_in_award
    odd = client.get("/judge?show=%3Cscript%3E&award=nonsense")
    assert odd.status_code == 200 and all(r in odd.get_data(as_text=True) for r in refs)


def test_after_submitting_a_judge_goes_to_the_next_file_still_to_do(app, client):
    organiser, event, panel, files, judges = setup_panel(n_files=2, n_judges=1)
    first, second = (_declared(panel, f, judges[0]) for f in files)
    sign_in(client, judges[0].user)
    r = post_form(client, f"/judging/{first.public_id}", _score_data(panel, (4, 4, 4), submit="Submit"))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/judging/{second.public_id}")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f"Next file: Young1 ({files[1].category.name}, reference {file_reference(files[1])})" in page
    banner = page.split('govuk-notification-banner__content')[1].split("</div>")[0]
    assert 'href="/judge">Back to the list</a>' in banner  # beside "Next file"
    assert "Surname1" in page  # an adult judge reads the full file
    r = post_form(client, f"/judging/{second.public_id}", _score_data(panel, (3, 3, 3), submit="Submit"))
    assert r.status_code == 302 and r.headers["Location"].endswith("/judge")
    assert "You have nothing left to do" in client.get("/judge").get_data(as_text=True)
