"""Young people are told they were nominated, and can say no thanks (issue 16, part H)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.judging.models import ConflictType, PanelJudge
from cpevents.judging.queries import judge_assignments
from cpevents.judging.services import create_panel
from cpevents.mail.models import OutboxMessage
from cpevents.nominations.models import FileStatus, NominationStatus, YesNo
from cpevents.nominees import services
from cpevents.nominees.models import NomineeLink, NoticeState
from tests.factories import csrf_from, make_user, sign_in
from tests.judging.helpers import assign
from tests.nominees.helpers import ACHIEVEMENT, accept, emails_to, file_to_accept, link_in

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _post(client, path, get_path=None, data=None):
    page = client.get(get_path or path)
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **(data or {})})


def _tell_due(days: int) -> int:
    with current_app.test_request_context():
        told = services.tell_due(utcnow() + timedelta(days=days))
    db.session.commit()
    return told


def test_told_by_email_when_the_file_is_accepted_with_no_award_and_no_outcome(app):
    file, organiser, _ = file_to_accept()
    assert emails_to("kai.young@example.org") == []  # nothing before acceptance
    accept(file, organiser)
    (message,) = emails_to("kai.young@example.org")
    assert message.subject == services.SUBJECT and "nominat" not in message.subject.lower() and "care" not in message.subject.lower()
    body = message.text_body + message.html_body
    assert "nominated you" in body
    for secret in [file.category.name, ACHIEVEMENT, "shortlist", "winner", "Organisers only"]:
        assert secret.lower() not in body.lower(), secret
    assert message.has_personal_links and "/n/" not in body  # sealed, never in clear
    assert services.notice_for(file).state == NoticeState.TOLD
    # accepted again (a new nomination arrived): not told twice
    file.status = FileStatus.TO_REVIEW
    accept(file, organiser)
    assert len(emails_to("kai.young@example.org")) == 1


def test_waits_for_the_nominator_then_sends_when_they_say(client):
    file, organiser, nominator = file_to_accept(knows=YesNo.NO)
    accept(file, organiser)
    assert emails_to("kai.young@example.org") == []
    assert services.notice_for(file).state == NoticeState.WAITING_FOR_NOMINATOR
    nomination = file.live_nominations[0]
    path = f"/nominations/{nomination.public_id}/told-them"
    # another nominator cannot say so
    other = make_user(Role.NOMINATOR, email="other@example.org")
    sign_in(client, other)
    assert client.get(path).status_code == 404
    other_client = current_app.test_client()
    sign_in(other_client, nominator)
    home = other_client.get("/nominator").get_data(as_text=True)
    assert path in home
    assert other_client.get(path).status_code == 200
    assert emails_to("kai.young@example.org") == []  # GET changes nothing
    response = _post(other_client, path)
    assert response.status_code == 302
    assert len(emails_to("kai.young@example.org")) == 1
    assert services.notice_for(file).state == NoticeState.TOLD
    assert path not in other_client.get("/nominator").get_data(as_text=True)


def test_waits_for_the_nominator_at_most_14_days(app):
    file, organiser, _ = file_to_accept(knows=YesNo.NO)
    accept(file, organiser)
    assert _tell_due(13) == 0 and emails_to("kai.young@example.org") == []
    assert _tell_due(14) == 1
    assert len(emails_to("kai.young@example.org")) == 1
    assert _tell_due(20) == 0 and len(emails_to("kai.young@example.org")) == 1


def test_the_daily_job_is_registered(app):
    from cpevents import jobs

    assert "nominees tell-due" in jobs.DAILY_JOBS
    result = app.test_cli_runner().invoke(args=["nominees", "tell-due"])
    assert result.exit_code == 0, result.output


def test_contact_restriction_never_sends_without_an_organiser(client):
    file, organiser, nominator = file_to_accept(contact_restriction=True)
    accept(file, organiser)
    assert emails_to("kai.young@example.org") == []
    assert _tell_due(60) == 0 and emails_to("kai.young@example.org") == []
    assert services.notice_for(file).state == NoticeState.WAITING_FOR_ORGANISER
    path = f"/nomination-files/{file.public_id}/tell-young-person"
    # the nominator cannot, even when they asked to tell them in person
    sign_in(client, nominator)
    assert client.get(path).status_code == 403
    organiser_client = current_app.test_client()
    sign_in(organiser_client, organiser)
    page = organiser_client.get(f"/nomination-files/{file.public_id}").get_data(as_text=True)
    assert "Tell the young person" in page
    assert organiser_client.get(path).status_code == 200
    assert emails_to("kai.young@example.org") == []  # GET changes nothing
    audit_before = _count(AuditEntry)
    assert _post(organiser_client, path).status_code == 302
    assert len(emails_to("kai.young@example.org")) == 1
    db.session.expire_all()
    assert _count(AuditEntry) > audit_before
    assert db.session.execute(select(AuditEntry).where(AuditEntry.detail.like("Told the young person%"))).scalar_one().actor_id == organiser.id


def test_contact_restriction_also_stops_the_nominator_route(app):
    file, organiser, _ = file_to_accept(knows=YesNo.NO, contact_restriction=True)
    accept(file, organiser)
    assert services.notice_for(file).state == NoticeState.WAITING_FOR_ORGANISER
    assert _tell_due(30) == 0 and emails_to("kai.young@example.org") == []


def test_without_email_a_letter_is_listed_for_organisers(client):
    file, organiser, _ = file_to_accept(email="")
    accept(file, organiser)
    assert services.notice_for(file).state == NoticeState.LETTER_TO_HAND
    assert _count(OutboxMessage) == 0 or all(m.template != "nominees/told" for m in db.session.execute(select(OutboxMessage)).scalars())
    sign_in(client, organiser)
    page = client.get("/nominees/letters").get_data(as_text=True)
    assert "Kai Mensah" in page
    assert _count(NomineeLink) == 0  # GET changes nothing
    printed = _post(client, "/nominees/letters")
    assert printed.status_code == 200
    html = printed.get_data(as_text=True)
    assert "/n/" in html and "<svg" in html and file.category.name not in html
    assert _count(NomineeLink) == 1


def _open(client, file):
    (message,) = [m for m in emails_to(file.young_person.email) if m.template == "nominees/told"]
    path = link_in(message)
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/nominated")
    for name, value in PRIVATE.items():
        assert response.headers.get(name) == value
    return path


def test_the_link_opens_a_token_free_page_that_shows_only_its_own_young_person(client):
    file, organiser, _ = file_to_accept()
    other, other_organiser, _ = file_to_accept(email="zara@example.org", first="Zara")
    accept(file, organiser)
    accept(other, other_organiser)
    audit_before = _count(AuditEntry)
    path = _open(client, file)
    page = client.get("/nominated")
    assert page.status_code == 200
    for name, value in PRIVATE.items():
        assert page.headers.get(name) == value
    html = page.get_data(as_text=True)
    assert "Kai" in html and "Zara" not in html and path.rsplit("/", 1)[1] not in html
    assert file.category.name not in html and ACHIEVEMENT not in html and "Mensah" not in html
    assert _count(AuditEntry) == audit_before
    db.session.expire_all()
    assert services.notice_for(file).state == NoticeState.TOLD
    # a link that was replaced stops working
    with current_app.test_request_context():
        services.issue_link(file)
    db.session.commit()
    assert client.get("/nominated").status_code == 404
    assert client.get(path).status_code == 404
    assert client.get("/n/not-a-token").status_code == 404


def test_no_thanks_withdraws_the_file_everywhere_and_tells_nominator_and_organisers(client):
    file, organiser, nominator = file_to_accept()
    accept(file, organiser)
    panel = create_panel(file.event, by=organiser)
    judge_user = make_user(Role.JUDGE, name="Jo Judge")
    judge = PanelJudge(panel=panel, user_id=judge_user.id)
    db.session.add(judge)
    db.session.commit()
    assign(panel, file, judge)
    assert [a.file_id for a in judge_assignments(judge_user)] == [file.id]
    _open(client, file)
    confirm = client.get("/nominated/no-thanks")
    assert confirm.status_code == 200 and "Are you sure" in confirm.get_data(as_text=True)
    db.session.expire_all()
    assert file.live_nominations and services.notice_for(file).state == NoticeState.TOLD  # GET changed nothing
    done = _post(client, "/nominated/no-thanks")
    assert done.status_code == 200 and "Thank you for telling us" in done.get_data(as_text=True)
    db.session.expire_all()
    assert file.live_nominations == []
    assert all(n.status == NominationStatus.WITHDRAWN for n in file.nominations)
    assert file.status != FileStatus.ACCEPTED
    assert judge_assignments(judge_user) == []
    assert services.notice_for(file).state == NoticeState.DECLINED
    (to_nominator,) = emails_to(nominator.email)
    assert to_nominator.subject == services.DECLINED_SUBJECT and file.category.name not in to_nominator.text_body
    assert emails_to(organiser.email)
    # the link ends, and nothing more is sent to them
    assert client.get("/nominated").status_code == 404
    sent = len(emails_to("kai.young@example.org"))
    assert _tell_due(30) == 0
    assert len(emails_to("kai.young@example.org")) == sent


def test_wrong_roles(client):
    file, organiser, nominator = file_to_accept(knows=YesNo.NO, contact_restriction=False)
    accept(file, organiser)
    nomination = file.live_nominations[0]
    sign_in(client, organiser)
    assert client.get(f"/nominations/{nomination.public_id}/told-them").status_code == 403
    judge_client = current_app.test_client()
    sign_in(judge_client, make_user(Role.JUDGE, email="judge@example.org"))
    assert judge_client.get("/nominees/letters").status_code == 403
    assert judge_client.get(f"/nomination-files/{file.public_id}/tell-young-person").status_code == 403
    # an organiser's "tell" is only for someone waiting for an organiser
    assert client.get(f"/nomination-files/{file.public_id}/tell-young-person").status_code == 404


def test_erasure_removes_the_links_and_subject_access_shows_what_they_were_told(app):
    from cpevents.privacy.erasure import _erase_young_person
    from cpevents.privacy.subject_access import young_person_data

    file, organiser, _ = file_to_accept()
    accept(file, organiser)
    with current_app.test_request_context():
        (row,) = young_person_data(file.young_person)["nominations"]
    assert row["telling_them"] == NoticeState.TOLD.label and row["told_at"]
    assert _count(NomineeLink) == 1
    with current_app.test_request_context():
        _erase_young_person(file.young_person)
    db.session.commit()
    assert _count(NomineeLink) == 0


def test_demo_has_each_state(app):
    from cpevents.demo import seed_demo

    data = seed_demo()
    db.session.commit()
    states = data["nominee_states"]
    for state in (NoticeState.TOLD, NoticeState.WAITING_FOR_NOMINATOR, NoticeState.WAITING_FOR_ORGANISER, NoticeState.DECLINED):
        assert states[state.value] >= 1, state
    assert "/n/" in data["nominee_link"]
    again = seed_demo()
    db.session.commit()
    assert again["nominee_states"][NoticeState.DECLINED.value] == states[NoticeState.DECLINED.value]


def test_the_panel_version_is_hidden_until_an_organiser_approves_it(client):
    from cpevents.judging.models import PanelText

    file, organiser, _ = file_to_accept()
    accept(file, organiser)
    nomination = file.live_nominations[0]
    _open(client, file)
    assert "What they wrote about you" not in client.get("/nominated").get_data(as_text=True)
    organiser_client = current_app.test_client()
    sign_in(organiser_client, organiser)
    path = f"/nomination-files/{file.public_id}/approve-panel-version"
    # nothing to approve before a panel version is written
    assert _post(organiser_client, path).status_code == 400
    text = PanelText(nomination_id=nomination.id, text="Kai started a coding club and teaches younger pupils.", updated_at=utcnow() - timedelta(minutes=1))
    db.session.add(text)
    db.session.commit()
    assert "coding club" not in client.get("/nominated").get_data(as_text=True)  # written, not approved
    assert organiser_client.get(path).status_code == 200
    assert services.notice_for(file).panel_version_approved_at is None  # GET changes nothing
    assert _post(organiser_client, path).status_code == 302
    html = client.get("/nominated").get_data(as_text=True)
    assert "What they wrote about you" in html and "coding club" in html
    assert ACHIEVEMENT not in html and "Hillside" not in html and file.category.name not in html
    assert db.session.execute(select(AuditEntry).where(AuditEntry.detail.like("Approved the panel version%"))).scalar_one().actor_id == organiser.id
    # changed after approval: hidden again until approved again
    text.text, text.updated_at = "Kai runs a coding club.", utcnow() + timedelta(seconds=1)
    db.session.commit()
    assert "coding club" not in client.get("/nominated").get_data(as_text=True)


def test_their_own_words_reach_the_judges_and_too_many_are_refused_beside_the_field(client):
    file, organiser, _ = file_to_accept()
    accept(file, organiser)
    panel = create_panel(file.event, by=organiser)
    judge_user = make_user(Role.JUDGE, name="Jo Judge")
    judge = PanelJudge(panel=panel, user_id=judge_user.id)
    db.session.add(judge)
    db.session.commit()
    assignment = assign(panel, file, judge)
    assignment.conflict, assignment.conflict_declared_at = ConflictType.NONE, utcnow()
    db.session.commit()
    _open(client, file)
    long = "x" * 501
    response = _post(client, "/nominated/your-words", get_path="/nominated", data={"words": long})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "500 characters or fewer" in html and long in html
    assert services.notice_for(file).own_words == ""
    assert _post(client, "/nominated/your-words", get_path="/nominated", data={"words": "I am proud of the club, Mensah family helped."}).status_code == 302
    assert "I am proud of the club" in client.get("/nominated").get_data(as_text=True)
    judge_client = current_app.test_client()
    sign_in(judge_client, judge_user)
    page = judge_client.get(f"/judging/{assignment.public_id}").get_data(as_text=True)
    assert "In their own words" in page and "I am proud of the club" in page
