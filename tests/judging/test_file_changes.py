"""Scores given before a file changed (issue 20, bug 3): when a nomination joins a file or its
panel version changes, its judges are told (neutral subject, and on their list), may submit
their scores again, and the ranking says which scores predate the change."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.judging.forms import criterion_field_name
from cpevents.judging.services import set_panel_text
from cpevents.mail.models import OutboxMessage
from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
from cpevents.nominations.review import accept_file, match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship
from tests.factories import make_user, post_form, sign_in
from tests.judging.helpers import setup_panel, submitted

SUBJECT = "A change to a nomination you are judging"


def _emails_to(address: str) -> list[OutboxMessage]:
    return db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == address, OutboxMessage.subject == SUBJECT)).scalars().all()


def _join(file, organiser, text="Young0 also helped run the summer sports week for younger children."):
    """A second nominator's nomination about the same young person joins the (accepted) file."""
    person = file.young_person
    nominator = make_user(Role.NOMINATOR, name="Second Nominator")
    nomination = Nomination(event_id=file.event_id, nominator_id=nominator.id, category_id=file.category_id, status=NominationStatus.SENT,
                            first_name=person.first_name, last_name=person.last_name, date_of_birth=date(2010, 2, 14),
                            care_status=CareStatus.IN_CARE, district="Riverside", relationship_type=WorkerRelationship.PERSONAL_ADVISER,
                            worked_with_recently=True, achievement=text, background="", young_person_knows=YesNo.YES, public_concern=YesNo.NO)
    db.session.add(nomination)
    db.session.flush()
    match_nomination(nomination, person, by=organiser)
    db.session.commit()
    return nomination


def test_a_judge_is_told_when_a_nomination_joins_a_file_they_scored_and_can_submit_again(client, app):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    file = files[0]
    first = submitted(panel, file, judges[0], (2, 2, 2))
    other = submitted(panel, file, judges[1], (4, 4, 4))
    _join(file, organiser)
    assert file.status == FileStatus.TO_REVIEW
    with app.test_request_context():
        accept_file(file, reason="Checked the new nomination", by=organiser)
    db.session.commit()
    for judge in judges:
        mails = _emails_to(judge.user.email)
        assert len(mails) == 1 and "Young0" not in mails[0].subject
    # Accepted again with nothing new in it: nobody is told twice.
    file.status = FileStatus.TO_REVIEW
    with app.test_request_context():
        accept_file(file, reason="Accepted again", by=organiser)
    db.session.commit()
    assert len(_emails_to(judges[0].user.email)) == 1

    sign_in(client, organiser)
    ranking = client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
    assert "2 scores given before the file changed" in ranking
    assert "Given before the file changed" in client.get(f"/judging/files/{file.public_id}").get_data(as_text=True)

    judge_client = app.test_client()
    sign_in(judge_client, judges[0].user)
    home = judge_client.get("/judge").get_data(as_text=True)
    assert "Changed since you scored" in home
    page = judge_client.get(f"/judging/{first.public_id}").get_data(as_text=True)
    assert "Changed since you scored" in page and "Submit your scores again" in page
    assert "summer sports week" in page  # the new nomination is there to read
    names = [criterion_field_name(c) for c in panel.criteria]
    r = post_form(judge_client, f"/judging/{first.public_id}", {**dict.fromkeys(names, "5"), "comment": "Stronger now", "submit": "1"})
    assert r.status_code == 302
    db.session.refresh(first)
    assert sorted(s.value for s in first.scores) == [5, 5, 5] and first.comment == "Stronger now"
    ranking = client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
    assert "1 score given before the file changed" in ranking  # the other judge has not looked again yet
    page = judge_client.get(f"/judging/{first.public_id}").get_data(as_text=True)
    assert "Changed since you scored" not in page and "Your scores (submitted)" in page
    assert other.submitted_at is not None


def test_without_a_change_submitted_scores_still_cannot_be_changed(client):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    a = submitted(panel, files[0], judges[0], (2, 2, 2))
    sign_in(client, judges[0].user)
    names = [criterion_field_name(c) for c in panel.criteria]
    r = post_form(client, f"/judging/{a.public_id}", {**dict.fromkeys(names, "5"), "submit": "1"}, follow_redirects=True)
    assert "They cannot be changed" in r.get_data(as_text=True)
    db.session.refresh(a)
    assert sorted(s.value for s in a.scores) == [2, 2, 2]


def test_a_changed_panel_version_tells_the_judges_who_read_it(client, app):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    file = files[0]
    young = judges[0]
    young.young_judge = True
    db.session.commit()
    nomination = file.live_nominations[0]
    with app.test_request_context():
        set_panel_text(nomination, "Started a coding club and teaches younger pupils.", by=organiser)
    db.session.commit()
    young_scores = submitted(panel, file, young, (3, 3, 3))
    submitted(panel, file, judges[1], (3, 3, 3))
    with app.test_request_context():
        set_panel_text(nomination, "Started a coding club and now teaches eight younger pupils every week.", by=organiser)
    db.session.commit()
    assert len(_emails_to(young.user.email)) == 1
    assert _emails_to(judges[1].user.email) == []  # they read the nominator's words, which did not change
    sign_in(client, young.user)
    page = client.get(f"/judging/{young_scores.public_id}").get_data(as_text=True)
    assert "Changed since you scored" in page and "eight younger pupils every week" in page
    o = app.test_client()
    sign_in(o, organiser)
    assert "1 score given before the file changed" in o.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)


def test_a_changed_file_counts_as_still_to_do_for_the_organisers_and_reminders(app):
    from cpevents.judging.queries import progress
    from cpevents.judging.services import remind_judges

    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    submitted(panel, files[0], judges[0], (2, 2, 2))
    assert progress(panel)[judges[0].id]["to_do"] == 0
    _join(files[0], organiser)
    with app.test_request_context():
        accept_file(files[0], reason="Checked the new nomination", by=organiser)
    db.session.commit()
    assert dict(progress(panel)[judges[0].id]) == {"total": 1, "submitted": 0, "conflicts": 0, "to_do": 1, "waiting": 0}
    with app.test_request_context():
        assert remind_judges(panel, by=organiser) == 1


def test_a_young_judge_is_told_once_the_new_nomination_has_its_panel_version(app):
    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=2)
    file = files[0]
    young = judges[0]
    young.young_judge = True
    db.session.commit()
    with app.test_request_context():
        set_panel_text(file.live_nominations[0], "Started a coding club and teaches younger pupils.", by=organiser)
    db.session.commit()
    submitted(panel, file, young, (3, 3, 3))
    submitted(panel, file, judges[1], (3, 3, 3))
    joined = _join(file, organiser)
    with app.test_request_context():
        accept_file(file, reason="Checked the new nomination", by=organiser)
    db.session.commit()
    assert len(_emails_to(judges[1].user.email)) == 1
    assert _emails_to(young.user.email) == []  # the file is hidden from them until the new panel version is written
    with app.test_request_context():
        set_panel_text(joined, "Also helped run the summer sports week for younger children.", by=organiser)
        set_panel_text(file.live_nominations[0], "Started a coding club and teaches younger pupils.", by=organiser)  # the same words again
    db.session.commit()
    assert len(_emails_to(young.user.email)) == 1


def test_a_judge_is_told_when_a_nomination_they_read_is_withdrawn_from_a_file_they_scored(client, app):
    """Withdrawing one of a file's nominations changes what the judges scored, like one joining."""
    from cpevents.nominations.services import withdraw_nomination

    organiser, event, panel, files, judges = setup_panel(n_files=1, n_judges=1)
    file = files[0]
    joined = _join(file, organiser)
    with app.test_request_context():
        accept_file(file, reason="Checked the new nomination", by=organiser)
    db.session.commit()
    scored = submitted(panel, file, judges[0], (3, 3, 3))
    assert _emails_to(judges[0].user.email) == []
    with app.test_request_context():
        withdraw_nomination(joined)
    db.session.commit()
    assert len(_emails_to(judges[0].user.email)) == 1

    judge_client = app.test_client()
    sign_in(judge_client, judges[0].user)
    assert "Changed since you scored" in judge_client.get("/judge").get_data(as_text=True)
    page = judge_client.get(f"/judging/{scored.public_id}").get_data(as_text=True)
    assert "Submit your scores again" in page and "summer sports week" not in page
    sign_in(client, organiser)
    assert "1 score given before the file changed" in client.get(f"/events/{event.public_id}/judging/ranking").get_data(as_text=True)
