"""Issue 13, item 1: nobody can attach themselves to a young person. A worker link is made only by
an organiser (on the record, or as an explicit choice when matching a nomination), is in the
audit trail, can be ended, and runs out after 12 months unless renewed. Sending a nomination
never reveals whether a record exists and never grants access to one."""

from datetime import date, timedelta

from sqlalchemy import func, select

from cpevents.accounts.models import User, user_by_email
from cpevents.achievements.models import AchievementArea
from cpevents.achievements.services import record_achievement
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.invitations.models import InvitationStatus, ReplyHow
from cpevents.invitations.services import Reply, invite, record_reply
from cpevents.nominations.models import FileStatus, Nomination, NominationFile, NominationStatus
from cpevents.nominations.review import accept_file, match_nomination
from cpevents.young_people.models import (
    CareStatus,
    WorkerRelationship,
    YoungPerson,
    YoungPersonWorker,
)
from cpevents.young_people.services import (
    YoungPersonError,
    create_young_person,
    link_worker,
    renew_worker_link,
    unlink_worker,
)
from tests.factories import PASSWORD, csrf_from, make_user, post_form, sign_in
from tests.nominations.test_journey import ANSWERS, _start, open_event

STRANGER = {
    "name": "Sam Stranger",
    "email": "sam@unknown-agency.example.net",
    "organisation": "Somewhere",
    "job_title": "Worker",
    "purpose": "nominate",
    "password": PASSWORD,
}


def _restricted_young_person_with_everything(app, event):
    """Amara: contact restriction, one current worker, an invitation she has said yes to, an
    achievement, and an accepted nomination file."""
    organiser = make_user(Role.ORGANISER)
    carer = make_user(Role.NOMINATOR, name="Carol Carer")
    person = create_young_person(
        {"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE,
         "contact_restriction": True, "contact_restriction_note": "Birth father must not know where she is"},
        by=organiser,
    )
    link_worker(person, carer.email, WorkerRelationship.CARER, by=organiser)
    with app.test_request_context():
        record_achievement(person, by=carer, achieved_on=date(2026, 5, 1), area=AchievementArea.HOBBIES,
                           description="Amara swam her first mile", celebrated_with="Her carer")
        invitation = invite(event, person, by=organiser)
        record_reply(invitation, Reply(attending=InvitationStatus.COMING), by=organiser, how=ReplyHow.ORGANISER)
    first = Nomination(event_id=event.id, nominator_id=carer.id, status=NominationStatus.SENT, first_name="Amara", last_name="Okafor",
                       date_of_birth=date(2009, 6, 1), care_status=CareStatus.IN_CARE, category_id=event.categories[0].id,
                       relationship_type=WorkerRelationship.CARER, achievement="Amara swam a mile.", submitted_at=utcnow())
    db.session.add(first)
    db.session.flush()
    file = match_nomination(first, person, by=organiser)
    accept_file(file, reason="Ready", by=organiser)
    db.session.commit()
    return person, invitation, file, organiser


def _register_and_sign_in(client, smtp_sink, details=STRANGER) -> User:
    assert post_form(client, "/register", details).status_code == 302
    link = smtp_sink.link(smtp_sink.wait_for(details["email"])[0])
    page = client.get(link)
    client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    user = user_by_email(details["email"])
    sign_in(client, user, details["password"])
    return user


def _nominate(client, event, first_name="Amara", last_name="Okafor", dob=("1", "6", "2009")):
    nomination = _start(client, event)
    base = f"/nominations/{nomination.public_id}"
    answers = {**ANSWERS["young-person"], "first_name": first_name, "last_name": last_name, "date_of_birth": list(dob)}
    assert post_form(client, f"{base}/young-person", answers).status_code == 302
    assert post_form(client, f"{base}/you", ANSWERS["you"]).status_code == 302
    assert post_form(client, f"{base}/category", {"category": event.categories[0].public_id}).status_code == 302
    for slug in ("achievement", "background", "safety"):
        assert post_form(client, f"{base}/{slug}", ANSWERS[slug]).status_code == 302
    check = client.get(f"{base}/check").get_data(as_text=True)
    sent = client.post(f"{base}/check", data={"csrf_token": csrf_from(check)})
    assert sent.status_code == 302
    return db.session.get(Nomination, nomination.id)


def test_a_stranger_who_registers_and_nominates_an_existing_young_person_gets_nothing(app, client, smtp_sink):
    event = open_event()
    person, invitation, file, _organiser = _restricted_young_person_with_everything(app, event)
    stranger = _register_and_sign_in(client, smtp_sink)
    nomination = _nominate(client, event)
    db.session.expire_all()
    # No link, no view of her, her invitation or her achievements.
    assert not db.session.execute(select(YoungPersonWorker).where(YoungPersonWorker.user_id == stranger.id)).scalars().all()
    assert client.get("/your-young-people").status_code == 403
    assert client.get("/your-invitations").status_code == 403
    assert client.get(f"/invitations/{invitation.public_id}/reply").status_code in (403, 404)
    assert client.get(f"/your-young-people/{person.public_id}/achievements").status_code in (403, 404)
    achievements = client.get("/achievements")
    assert achievements.status_code == 403 and "swam" not in achievements.get_data(as_text=True)
    # Her accepted file is untouched: the stranger's nomination waits for an organiser to match it.
    assert db.session.get(NominationFile, file.id).status == FileStatus.ACCEPTED
    assert db.session.get(Nomination, nomination.id).file_id is None
    # Even once the account is approved, nominating her gives nothing.
    stranger = db.session.get(User, stranger.id)
    stranger.approved_at = utcnow()
    db.session.commit()
    for path in ("/your-young-people", "/your-invitations", "/achievements"):
        html = client.get(path).get_data(as_text=True)
        assert "Amara" not in html and "swam" not in html, path
    assert client.get(f"/invitations/{invitation.public_id}/reply").status_code == 404
    assert client.get(f"/your-young-people/{person.public_id}/achievements").status_code == 404


def test_sending_a_nomination_reads_the_same_whether_or_not_a_record_exists(app, client, smtp_sink):
    event = open_event()
    _restricted_young_person_with_everything(app, event)
    _register_and_sign_in(client, smtp_sink)
    existing = _nominate(client, event)
    unknown = _nominate(client, event, first_name="Zed", last_name="Nobody", dob=("3", "3", "2010"))
    sent_existing = client.get(f"/nominations/{existing.public_id}/sent").get_data(as_text=True)
    sent_unknown = client.get(f"/nominations/{unknown.public_id}/sent").get_data(as_text=True)
    assert sent_existing.replace("Amara", "X").replace("Okafor", "Y") == sent_unknown.replace("Zed", "X").replace("Nobody", "Y")
    emails = smtp_sink.wait_for(STRANGER["email"], count=3)  # the confirmation link and two thank-yous
    thanks = [smtp_sink.text(e) for e in emails if e["subject"] == "Thank you for your nomination"]
    assert len(thanks) == 2 and thanks[0].replace("Amara", "X") == thanks[1].replace("Zed", "X")


def test_an_approved_nominators_exact_match_joins_a_file_still_to_review_but_never_links_them(app, client):
    event = open_event()
    organiser = make_user(Role.ORGANISER)
    person = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    db.session.commit()
    nominator = make_user(Role.NOMINATOR)
    sign_in(client, nominator)
    nomination = _nominate(client, event)
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).young_person_id == person.id
    assert not db.session.get(YoungPerson, person.id).worker_links


def test_only_an_organiser_links_and_the_link_is_audited_ends_and_runs_out(app, client):
    organiser = make_user(Role.ORGANISER)
    worker = make_user(Role.NOMINATOR)
    person = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    link = link_worker(person, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    db.session.commit()
    assert link.linked_by_id == organiser.id
    assert timedelta(days=364) < link.expires_at - utcnow() <= timedelta(days=365)
    actions = db.session.execute(select(AuditEntry.action).where(AuditEntry.young_person_id == person.id)).scalars().all()
    assert AuditAction.WORKER_LINKED in actions
    sign_in(client, worker)
    assert "Amara" in client.get("/your-young-people").get_data(as_text=True)
    # Twelve months later, with no renewal, the link has run out by itself.
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Amara" not in client.get("/your-young-people").get_data(as_text=True)
    assert client.get(f"/your-young-people/{person.public_id}/achievements").status_code == 404
    renew_worker_link(link, by=organiser)
    db.session.commit()
    assert "Amara" in client.get("/your-young-people").get_data(as_text=True)
    unlink_worker(link, by=organiser)
    db.session.commit()
    assert "Amara" not in client.get("/your-young-people").get_data(as_text=True)
    assert db.session.get(YoungPersonWorker, link.id).ended_by_id == organiser.id  # kept, with who ended it
    actions = db.session.execute(select(AuditEntry.action).where(AuditEntry.young_person_id == person.id)).scalars().all()
    assert actions.count(AuditAction.WORKER_LINKED) == 2 and AuditAction.WORKER_UNLINKED in actions  # linked, renewed; ended
    # Linking again opens the same row again.
    again = link_worker(person, worker.email, WorkerRelationship.CARER, by=organiser)
    assert again.id == link.id and again.is_current and again.ended_at is None


def test_a_pending_account_cannot_be_linked():
    organiser = make_user(Role.ORGANISER)
    pending = make_user(Role.NOMINATOR, approved=False)
    person = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    try:
        link_worker(person, pending.email, WorkerRelationship.CARER, by=organiser)
    except YoungPersonError as error:
        assert "waiting for approval" in str(error)
    else:
        raise AssertionError("a pending account was linked")


def test_organiser_renews_and_ends_links_on_the_record_page(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    worker = make_user(Role.NOMINATOR, name="Wendy Worker")
    person = create_young_person({"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}, by=organiser)
    link = link_worker(person, worker.email, WorkerRelationship.CARER, by=organiser)
    link.expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    assert "Wendy Worker" in page and "Renew for 12 months" in page and "End link" in page
    response = client.post(f"/young-people/{person.public_id}/workers/{link.public_id}/renew", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(YoungPersonWorker, link.id).expires_at > utcnow() + timedelta(days=360)
    response = client.post(f"/young-people/{person.public_id}/workers/{link.public_id}/remove", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(YoungPersonWorker, link.id).ended_at is not None
    assert "Links that have ended" in client.get(f"/young-people/{person.public_id}").get_data(as_text=True)


def test_matching_links_the_nominator_only_when_the_organiser_ticks_it(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    event = open_event()
    nominator = make_user(Role.NOMINATOR, name="Nina Nominator", email="nina@partner.example.org")
    def sent(first_name):
        nomination = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name=first_name,
                                last_name="Okafor", date_of_birth=date(2009, 6, 1), care_status=CareStatus.IN_CARE,
                                category_id=event.categories[0].id, relationship_type=WorkerRelationship.TEACHER,
                                achievement="Great things.", submitted_at=utcnow())
        db.session.add(nomination)
        db.session.commit()
        return nomination

    plain, linking = sent("Amari"), sent("Amira")
    sign_in(client, organiser)
    page = client.get(f"/nominations/{plain.public_id}/match").get_data(as_text=True)
    assert "Who is asking" in page and "nina@partner.example.org" in page and "Teacher or Virtual School" in page
    client.post(f"/nominations/{plain.public_id}/match", data={"csrf_token": csrf_from(page), "person": "new"})
    page = client.get(f"/nominations/{linking.public_id}/match").get_data(as_text=True)
    client.post(f"/nominations/{linking.public_id}/match", data={"csrf_token": csrf_from(page), "person": "new", "link_nominator": "y"})
    db.session.expire_all()
    plain_person = db.session.get(Nomination, plain.id).file.young_person
    linked_person = db.session.get(Nomination, linking.id).file.young_person
    assert not plain_person.worker_links
    assert [link.user_id for link in linked_person.current_worker_links] == [nominator.id]
    assert linked_person.current_worker_links[0].linked_by_id == organiser.id
    linked = db.session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.young_person_id == linked_person.id, AuditEntry.action == AuditAction.WORKER_LINKED)
    ).scalar_one()
    assert linked == 1
