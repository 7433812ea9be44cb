"""Issue 14, subject access: an organiser downloads everything held about one person as a ZIP
(summary.html and data.json); a young person sees and downloads their own, through their link."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from flask import current_app
from sqlalchemy import select

from cpevents.accounts.models import UserSession
from cpevents.achievements.models import AchievementArea
from cpevents.achievements.services import note_certificate, record_achievement
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.invitations import services as invitations
from cpevents.invitations.models import AgeGroup, InvitationStatus, NameRead, ReplyHow
from cpevents.nominations.models import Nomination, NominationStatus, YesNo
from cpevents.nominations.review import match_nomination
from cpevents.young_people.models import CareStatus, WorkerRelationship
from cpevents.young_people.services import link_worker, view_young_person
from tests.factories import make_user, sign_in
from tests.invitations.helpers import make_event, make_person, open_link, post


def _unzip(response) -> tuple[str, dict, str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["data.json", "summary.html"]
    raw = archive.read("data.json").decode()
    return archive.read("summary.html").decode(), json.loads(raw), raw


def _two_similar_young_people():
    """Amira Kowalski, with something of every kind, and Amira Kowalska, with her own data."""
    event, organiser = make_event()
    nominator = make_user(Role.NOMINATOR, name="Priya Nominator", organisation="Northfield Academy")
    amira = make_person(organiser, first_name="Amira", last_name="Kowalski", date_of_birth=date(2009, 4, 5), district="Riverside",
                        contact_restriction_note="Birth father must not know the venue")
    other = make_person(organiser, first_name="Amira", last_name="Kowalska", date_of_birth=date(2009, 4, 6))
    link_worker(amira, nominator.email, WorkerRelationship.TEACHER, by=organiser)
    link_worker(other, nominator.email, WorkerRelationship.TEACHER, by=organiser)
    nomination = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name="Amira", last_name="Kowalski",
                            date_of_birth=amira.date_of_birth, care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.TEACHER,
                            achievement="Amira started a homework club for younger pupils", background="Moved school twice this year",
                            young_person_knows=YesNo.YES)
    db.session.add(nomination)
    db.session.flush()
    match_nomination(nomination, amira, by=organiser)
    invitation = invitations.invite(event, amira, by=organiser)
    reply = invitations.Reply(attending=InvitationStatus.COMING, guests=[("Grandma Halina", AgeGroup.ADULT)], dietary=["vegetarian"],
                              photo_consent=True, name_read=NameRead.FULL_NAME)
    invitations.record_reply(invitation, reply, by=organiser, how=ReplyHow.ORGANISER)
    with current_app.test_request_context():
        achievement = record_achievement(amira, by=nominator, achieved_on=date(2025, 5, 1), area=AchievementArea.EDUCATION,
                                         description="Passed her first maths exam", celebrated_with="Her carer")
    note_certificate(achievement, by=nominator)
    view_young_person(amira, by=organiser)
    other_invitation = invitations.invite(event, other, by=organiser)
    invitations.record_reply(other_invitation, invitations.Reply(attending=InvitationStatus.COMING, guests=[("Uncle Zbigniew", AgeGroup.ADULT)]),
                             by=organiser, how=ReplyHow.ORGANISER)
    with current_app.test_request_context():
        record_achievement(other, by=nominator, achieved_on=date(2025, 6, 1), area=AchievementArea.EDUCATION,
                           description="Learned to swim a length", celebrated_with="Her foster family")
    db.session.commit()
    with current_app.test_request_context():
        token_url = invitations.issue_link(invitation)
    db.session.commit()
    return {"event": event, "organiser": organiser, "nominator": nominator, "amira": amira, "other": other, "invitation": invitation,
            "token": token_url.rsplit("/i/", 1)[1]}


def test_organiser_downloads_everything_held_about_a_young_person_and_nothing_else(client):
    seeded = _two_similar_young_people()
    amira, organiser = seeded["amira"], seeded["organiser"]
    sign_in(client, organiser)
    summary, data, raw = _unzip(client.get(f"/young-people/{amira.public_id}/everything-we-hold.zip"))

    # The record, all of it (staff-only notes included: the organiser checks before sending).
    assert data["record"]["last_name"] == "Kowalski" and data["record"]["date_of_birth"] == "2009-04-05"
    assert data["record"]["contact_restriction_note"] == "Birth father must not know the venue"
    # Nominations about her, with the nominator's name and organisation, their words, status.
    [nomination] = data["nominations"]
    assert nomination["nominator"] == "Priya Nominator" and nomination["nominator_organisation"] == "Northfield Academy"
    assert nomination["what_they_achieved"] == "Amira started a homework club for younger pupils"
    assert nomination["status"] == "Sent" and nomination["outcome"] == "No decision yet"
    # Invitations: reply, guests, needs, consents with when and who.
    [invitation] = data["invitations"]
    assert invitation["status"] == "Coming" and invitation["guests"][0]["name"] == "Grandma Halina"
    assert invitation["needs"]["food_and_drink"] == "Vegetarian"
    photos = next(c for c in invitation["consents"] if c["choice"] == "Photos may be taken")
    assert photos["answer"] == "Yes" and photos["recorded_at"] and organiser.name in photos["recorded_by"] and photos["how"]
    # Achievements, certificates, worker links (who, when, by whom).
    assert data["achievements"][0]["what"] == "Passed her first maths exam"
    assert data["certificates"][0]["made_by"].startswith("Priya Nominator")
    assert data["worker_links"][0]["worker"].startswith("Priya Nominator") and data["worker_links"][0]["linked_by"].startswith(organiser.name)
    # The access audit: who looked at the record, and when.
    actions = {(e["action"], e["who"].split(" (")[0]) for e in data["access_audit"]}
    assert (AuditAction.VIEWED.label, organiser.name) in actions and (AuditAction.WORKER_LINKED.label, organiser.name) in actions
    # The readable summary says the same things.
    for text in ("Kowalski", "Grandma Halina", "Priya Nominator", "Northfield Academy", "homework club", "Passed her first maths exam",
                 "Photos may be taken", "Looked at the record", "5 April 2009"):
        assert text in summary, text
    assert "<link" not in summary and "src=" not in summary  # self-contained, readable from the ZIP

    # Nothing about the other Amira; nothing secret.
    for text in ("Kowalska", "Uncle Zbigniew", "Learned to swim", seeded["other"].public_id):
        assert text not in summary and text not in raw, text
    invitation_row = seeded["invitation"]
    for secret in (seeded["token"], invitation_row.door_code, organiser.password_hash, seeded["nominator"].password_hash, organiser.totp_secret):
        assert secret not in summary and secret not in raw
    assert "token" not in raw.lower() and "password" not in raw.lower()


def test_the_download_is_in_the_audit_trail(client):
    seeded = _two_similar_young_people()
    sign_in(client, seeded["organiser"])
    client.get(f"/young-people/{seeded['amira'].public_id}/everything-we-hold.zip")
    entries = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED, AuditEntry.young_person_id == seeded["amira"].id)
    ).scalars().all()
    assert len(entries) == 1 and entries[0].actor_id == seeded["organiser"].id
    assert "Amira" not in entries[0].detail and "Kowalski" not in entries[0].detail
    # ... and it shows in the next copy's audit trail.
    _, data, _ = _unzip(client.get(f"/young-people/{seeded['amira'].public_id}/everything-we-hold.zip"))
    assert any(e["action"] == AuditAction.EXPORTED.label for e in data["access_audit"])


def test_the_record_page_offers_the_download(client):
    seeded = _two_similar_young_people()
    sign_in(client, seeded["organiser"])
    html = client.get(f"/young-people/{seeded['amira'].public_id}").get_data(as_text=True)
    assert "Download everything we hold" in html and f"/young-people/{seeded['amira'].public_id}/everything-we-hold.zip" in html
    html = client.get(f"/people/{seeded['nominator'].public_id}").get_data(as_text=True)
    assert f"/people/{seeded['nominator'].public_id}/everything-we-hold.zip" in html


def test_organiser_downloads_everything_held_about_an_account_without_secrets(client):
    seeded = _two_similar_young_people()
    nominator, organiser = seeded["nominator"], seeded["organiser"]
    other_client = client.application.test_client()
    sign_in(other_client, nominator)  # a sign-in, held in the history
    sign_in(client, organiser)
    summary, data, raw = _unzip(client.get(f"/people/{nominator.public_id}/everything-we-hold.zip"))
    assert data["account"]["email"] == nominator.email and data["account"]["organisation"] == "Northfield Academy"
    assert {"role": Role.NOMINATOR.label} in data["roles"]
    assert data["nominations_written"][0]["what_they_achieved"] == "Amira started a homework club for younger pupils"
    assert data["nominations_written"][0]["young_person_first_name"] == "Amira"
    assert data["achievements_recorded"] and data["worker_links"]
    assert db.session.execute(select(UserSession).where(UserSession.user_id == nominator.id)).first() is not None
    assert any("signed_in_at" in row for row in data["sign_in_history"])
    # Young people are someone else: no surnames; and nothing secret.
    assert "Kowalski" not in raw and "Kowalska" not in raw and "Kowalski" not in summary
    db.session.refresh(nominator)
    assert nominator.password_hash not in raw and "password_hash" not in raw and "totp_secret" not in raw
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED, AuditEntry.subject_type == "users",
                                                       AuditEntry.subject_id == nominator.id)).first() is not None


def test_only_organisers_may_download(client, app):
    seeded = _two_similar_young_people()
    paths = [f"/young-people/{seeded['amira'].public_id}/everything-we-hold.zip", f"/people/{seeded['nominator'].public_id}/everything-we-hold.zip"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for role in (Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER):
        c = app.test_client()
        sign_in(c, make_user(role, totp=role == Role.BOARD))
        for path in paths:
            assert c.get(path).status_code == 403, (role, path)
    # Even the young person's own linked worker (a nominator) is refused.
    c = app.test_client()
    sign_in(c, seeded["nominator"])
    assert c.get(paths[0]).status_code == 403
    sign_in(client, seeded["organiser"])
    assert client.get("/young-people/00000000-0000-0000-0000-000000000000/everything-we-hold.zip").status_code == 404
    assert client.get("/people/00000000-0000-0000-0000-000000000000/everything-we-hold.zip").status_code == 404
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED)).first() is None


# --- the young person's own page ------------------------------------------------------------------------


def test_a_young_person_sees_only_their_own_information(client):
    seeded = _two_similar_young_people()
    client.get("/i/" + seeded["token"])
    page = client.get("/invitation")
    assert "/invitation/what-we-hold" in page.get_data(as_text=True)
    response = client.get("/invitation/what-we-hold")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    for text in ("What we hold about you", "Kowalski", "Grandma Halina", "Vegetarian", "Passed her first maths exam", "Priya Nominator",
                 "How long we keep it", "Who sees it", current_app.config["SUPPORT_EMAIL"]):
        assert text in html, text
    for text in ("Kowalska", "Uncle Zbigniew", "Learned to swim", "Birth father", "homework club", seeded["token"]):
        assert text not in html, text

    download = client.get("/invitation/what-we-hold.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    raw = download.get_data(as_text=True)
    data = json.loads(raw)
    assert data["record"]["last_name"] == "Kowalski" and data["invitations"][0]["guests"][0]["name"] == "Grandma Halina"
    for text in ("Kowalska", "Uncle Zbigniew", "Birth father", "contact_restriction", "homework club", seeded["token"], seeded["invitation"].door_code):
        assert text not in raw, text
    page = client.get("/invitation/what-we-hold.html")
    assert page.status_code == 200 and "Grandma Halina" in page.get_data(as_text=True) and "attachment" in page.headers["Content-Disposition"]
    entries = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED, AuditEntry.young_person_id == seeded["amira"].id)
    ).scalars().all()
    assert len(entries) == 2 and all(e.actor_id is None for e in entries)


def test_without_a_working_link_nothing_is_shown(client):
    for path in ("/invitation/what-we-hold", "/invitation/what-we-hold.json", "/invitation/what-we-hold.html"):
        response = client.get(path)
        assert response.status_code == 404 and "Kowalski" not in response.get_data(as_text=True)
    seeded = _two_similar_young_people()
    client.get("/i/" + seeded["token"])
    invitations.revoke_links(seeded["invitation"], by=seeded["organiser"])
    db.session.commit()
    assert client.get("/invitation/what-we-hold").status_code == 404


def test_check_its_you_comes_first_when_it_is_asked_for(client):
    seeded = _two_similar_young_people()
    seeded["amira"].contact_restriction = True
    invitations.set_check_identity(seeded["invitation"], True, by=seeded["organiser"])
    db.session.commit()
    open_link(client, seeded["invitation"])
    for path in ("/invitation/what-we-hold", "/invitation/what-we-hold.json", "/invitation/what-we-hold.html"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/invitation/check-its-you"), path
    response = post(client, "/invitation/check-its-you", {"date_of_birth": ["5", "4", "2009"]})
    assert response.status_code == 302
    html = client.get("/invitation/what-we-hold").get_data(as_text=True)
    assert "Grandma Halina" in html and "Kowalski" in html


def test_a_contact_restricted_young_person_without_the_check_sees_no_information(client):
    seeded = _two_similar_young_people()
    seeded["amira"].contact_restriction = True
    db.session.commit()
    client.get("/i/" + seeded["token"])
    html = client.get("/invitation/what-we-hold").get_data(as_text=True)
    assert "Who sees it" in html and 'id="ask-us"' in html
    for text in ("Kowalski", "Grandma Halina", "Passed her first maths exam", "2009"):
        assert text not in html, text
    assert client.get("/invitation/what-we-hold.json").status_code == 302


def test_the_download_costs_the_same_number_of_queries_however_much_is_held(client):
    from tests.factories import queries_for

    seeded = _two_similar_young_people()
    amira, organiser, nominator = seeded["amira"], seeded["organiser"], seeded["nominator"]
    sign_in(client, organiser)
    path = f"/young-people/{amira.public_id}/everything-we-hold.zip"
    before = queries_for(client, path)
    for n in range(4):
        event, other_organiser = make_event()
        invitation = invitations.invite(event, amira, by=other_organiser)
        invitations.record_reply(invitation, invitations.Reply(attending=InvitationStatus.COMING, guests=[(f"Guest {n}", AgeGroup.ADULT)]),
                                 by=other_organiser, how=ReplyHow.ORGANISER)
        with current_app.test_request_context():
            achievement = record_achievement(amira, by=nominator, achieved_on=date(2025, 1, n + 1), area=AchievementArea.EDUCATION,
                                             description=f"Achievement {n}", celebrated_with="Carer")
        note_certificate(achievement, by=nominator)
        view_young_person(amira, by=other_organiser)
    db.session.commit()
    assert queries_for(client, path) == before


def test_a_merged_record_leads_to_the_kept_one(client):
    from cpevents.young_people.services import merge_young_people

    seeded = _two_similar_young_people()
    merge_young_people(seeded["amira"], seeded["other"], by=seeded["organiser"])
    db.session.commit()
    sign_in(client, seeded["organiser"])
    response = client.get(f"/young-people/{seeded['other'].public_id}/everything-we-hold.zip")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/young-people/{seeded['amira'].public_id}/everything-we-hold.zip")
    _, data, raw = _unzip(client.get(response.headers["Location"]))
    # The kept record's copy covers the record merged into it.
    assert data["merged_records"][0]["last_name"] == "Kowalska" and "Learned to swim a length" in raw
