"""The achievement log: linked workers only, young people's choices, certificates, nominations."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.achievements.services import record_achievement
from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.champions.models import ChampionService, PledgeKind
from cpevents.champions.services import apply_signed_in, approve_champion
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.young_people.models import CareStatus, NameShown, WorkerRelationship
from cpevents.young_people.services import create_young_person, link_worker
from tests.factories import make_user, post_form, queries_for, sign_in
from tests.nominations.test_journey import open_event

GOOD = {"achieved_on": ["12", "3", "2025"], "area": "independence", "description": "Cooked a meal for the whole house for the first time.",
        "celebrated_with": "Their foster carer, Jo"}


def young_person(worker=None, **fields):
    organiser = make_user(Role.ORGANISER)
    values = {"first_name": "Amara", "last_name": "Okafor", "date_of_birth": date(2009, 6, 1), "care_status": CareStatus.IN_CARE}
    values.update(fields)
    person = create_young_person(values, by=organiser)
    if worker is not None:
        link_worker(person, worker.email, WorkerRelationship.CARER, by=organiser)
    db.session.commit()
    return person


@pytest.fixture
def carer(client):
    user = make_user(Role.NOMINATOR, name="Carol Carer", job_title="Foster carer")
    sign_in(client, user)
    return user


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_carer_records_an_achievement_for_a_young_person_linked_to_them(client, carer):
    person = young_person(carer)
    html = client.get("/your-young-people").get_data(as_text=True)
    assert f"/your-young-people/{person.public_id}/achievements" in html
    response = post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD)
    assert response.status_code == 302
    achievement = db.session.execute(select(Achievement)).scalar_one()
    assert achievement.achieved_on == date(2025, 3, 12) and achievement.area == AchievementArea.INDEPENDENCE
    assert achievement.recorded_by_id == carer.id
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == person.id, AuditEntry.subject_type == "achievements")).scalar_one()
    assert entry.action == AuditAction.CREATED and entry.actor_id == carer.id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cooked a meal" in html and "Download the certificate" in html
    assert "Cooked a meal" in client.get(f"/your-young-people/{person.public_id}/achievements").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"achieved_on": ["", "", ""]}, "Enter the date it happened"),
        ({"achieved_on": ["31", "2", "2025"]}, "The date must be a real date"),
        ({"description": "   "}, "Describe what happened"),
        ({"description": "x" * 1001}, "What happened must be 1,000 characters or fewer"),
        ({"area": ""}, "Select what kind of achievement it is"),
        ({"celebrated_with": ""}, "Enter who celebrated it with them"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_saved(client, carer, change, message):
    person = young_person(carer)
    response = post_form(client, f"/your-young-people/{person.public_id}/achievements/new", {**GOOD, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert "govuk-error-summary" in html
    if "celebrated_with" not in change:
        assert 'value="Their foster carer, Jo"' in html  # what was typed is kept
    assert _count(Achievement) == 0


def test_a_future_date_is_refused(client, carer):
    person = young_person(carer)
    tomorrow = utcnow().date() + timedelta(days=2)
    response = post_form(client, f"/your-young-people/{person.public_id}/achievements/new",
                         {**GOOD, "achieved_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]})
    assert response.status_code == 400 and "The date cannot be in the future" in response.get_data(as_text=True)
    assert _count(Achievement) == 0


def test_a_young_person_not_linked_to_you_does_not_exist_for_you(app, client, carer):
    other_worker = make_user(Role.NOMINATOR)
    person = young_person(other_worker)
    assert client.get(f"/your-young-people/{person.public_id}/achievements").status_code == 404
    assert client.get(f"/your-young-people/{person.public_id}/achievements/new").status_code == 404
    response = post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD, get_path="/your-young-people")
    assert response.status_code == 404
    assert _count(Achievement) == 0
    with app.test_request_context():
        achievement = record_achievement(person, by=other_worker, achieved_on=date(2025, 1, 2), area=AchievementArea.EDUCATION,
                                         description="Passed maths", celebrated_with="Teacher")
    db.session.commit()
    assert client.get(f"/achievements/{achievement.public_id}").status_code == 404
    assert client.get(f"/achievements/{achievement.public_id}/certificate.pdf").status_code == 404
    board = app.test_client()
    sign_in(board, make_user(Role.BOARD, totp=True))
    assert board.get(f"/achievements/{achievement.public_id}").status_code == 403
    assert board.get(f"/your-young-people/{person.public_id}/achievements").status_code == 403
    organiser = app.test_client()
    sign_in(organiser, make_user(Role.ORGANISER, totp=True))
    assert organiser.get(f"/achievements/{achievement.public_id}").status_code == 200


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width) / 72 * 25.4) == 297 and round(float(box.height) / 72 * 25.4) == 210  # A4
    return " ".join(reader.pages[0].extract_text().split())


def test_the_certificate_is_a_real_a4_pdf_with_the_chosen_name_first_name_only(client, carer):
    person = young_person(carer, first_name="Zoë", last_name="O'Neil", name_shown=NameShown.FIRST_NAME)
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", {**GOOD, "description": "Joined the “Riverside” swimming club"})
    achievement = db.session.execute(select(Achievement)).scalar_one()
    response = client.get(f"/achievements/{achievement.public_id}/certificate.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = _pdf_text(response.data)
    assert "Certificate of achievement" in text
    assert "Zoë" in text and "O'Neil" not in text and "O’Neil" not in text
    assert "Joined the “Riverside” swimming club" in text
    assert "12 March 2025" in text and "Celebrated with Their foster carer, Jo" in text
    entries = db.session.execute(select(AuditEntry).where(AuditEntry.young_person_id == person.id, AuditEntry.action == AuditAction.VIEWED)).scalars().all()
    assert [e.detail for e in entries] == ["certificate downloaded"]


def test_the_certificate_uses_the_full_name_when_the_young_person_chose_it(client, carer):
    person = young_person(carer, first_name="Kai", last_name="Mensah", preferred_name="KJ", name_shown=NameShown.FULL_NAME)
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", {**GOOD, "description": "x " * 499})
    achievement = db.session.execute(select(Achievement)).scalar_one()
    text = _pdf_text(client.get(f"/achievements/{achievement.public_id}/certificate.pdf").data)
    assert "KJ Mensah" in text


def test_start_a_proud_nomination_from_an_achievement_when_a_window_is_open(client, carer):
    person = young_person(carer, first_name="Kai", last_name="Mensah", district="Riverside")
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD)
    achievement = db.session.execute(select(Achievement)).scalar_one()
    html = client.get(f"/achievements/{achievement.public_id}").get_data(as_text=True)
    assert "Nominations for the PROUD Awards are not open at the moment" in html
    event = open_event()
    html = client.get(f"/achievements/{achievement.public_id}").get_data(as_text=True)
    assert f"Nominate for {event.name}" in html
    response = post_form(client, f"/achievements/{achievement.public_id}/nominate/{event.public_id}", {}, get_path=f"/achievements/{achievement.public_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/young-person")
    nomination = db.session.execute(select(Nomination)).scalar_one()
    assert nomination.status == NominationStatus.DRAFT and nomination.nominator_id == carer.id
    assert (nomination.first_name, nomination.last_name, nomination.date_of_birth, nomination.district) == ("Kai", "Mensah", date(2009, 6, 1), "Riverside")
    assert nomination.achievement.startswith(GOOD["description"])
    assert nomination.relationship_type == WorkerRelationship.CARER
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Kai"' in page and 'value="Mensah"' in page
    db.session.refresh(achievement)
    assert achievement.nomination_id == nomination.id
    # only once per achievement
    response = post_form(client, f"/achievements/{achievement.public_id}/nominate/{event.public_id}", {}, get_path=f"/achievements/{achievement.public_id}")
    assert _count(Nomination) == 1


def test_no_nomination_from_an_achievement_when_the_window_has_closed(client, carer):
    person = young_person(carer)
    post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD)
    achievement = db.session.execute(select(Achievement)).scalar_one()
    event = open_event()
    event.nominations_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = post_form(client, f"/achievements/{achievement.public_id}/nominate/{event.public_id}", {}, get_path=f"/achievements/{achievement.public_id}")
    assert "closed" in response.get_data(as_text=True)
    assert _count(Nomination) == 0


def test_achievements_list_is_never_a_service_wide_feed(app, client, carer):
    hidden = young_person(carer, first_name="Hana", last_name="Hidden", do_not_publish=True)
    shown = young_person(carer, first_name="Sami", last_name="Shown", name_shown=NameShown.FIRST_NAME)
    with app.test_request_context():
        for person, text in ((hidden, "Hana passed her driving theory test"), (shown, "Sami joined the football team")):
            record_achievement(person, by=carer, achieved_on=date(2025, 4, 2), area=AchievementArea.HOBBIES, description=text, celebrated_with="Carer")
    db.session.commit()
    own = client.get("/achievements").get_data(as_text=True)
    assert "Hana passed" in own and "Sami joined" in own
    someone_else = app.test_client()
    sign_in(someone_else, make_user(Role.CHAMPION))
    html = someone_else.get("/achievements").get_data(as_text=True)
    # Another worker is not linked to either young person: they see neither, published or not.
    assert "Hana" not in html and "Sami" not in html and "football" not in html
    organiser = app.test_client()
    sign_in(organiser, make_user(Role.ORGANISER, totp=True))
    assert "Hana passed" in organiser.get("/achievements").get_data(as_text=True)


def test_a_lapsed_champion_cannot_record_achievements(app, client):
    champion_user = make_user(Role.CHAMPION, name="Lapsed Champion")
    service = db.session.execute(select(ChampionService)).scalars().first()
    with app.test_request_context():
        record = apply_signed_in(champion_user, job_title="Officer", service=service, pledges=[PledgeKind.MENTOR], pledge_words="x")
        approve_champion(record, by=make_user(Role.ORGANISER))
    record.expires_at = utcnow() - timedelta(days=1)  # the daily job has not run yet
    db.session.commit()
    person = young_person(champion_user)
    sign_in(client, champion_user)
    response = client.get(f"/your-young-people/{person.public_id}/achievements/new")
    assert response.status_code == 403 and "Your champion status has ended" in response.get_data(as_text=True)
    response = post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD, get_path="/your-young-people")
    assert response.status_code == 403
    assert _count(Achievement) == 0
    assert "Your time as a Corporate Parenting Champion has ended" in client.get(f"/your-young-people/{person.public_id}/achievements").get_data(as_text=True)


def test_a_current_champion_records_achievements(app, client):
    champion_user = make_user(Role.CHAMPION)
    person = young_person(champion_user)
    sign_in(client, champion_user)
    assert post_form(client, f"/your-young-people/{person.public_id}/achievements/new", GOOD).status_code == 302
    assert _count(Achievement) == 1


def test_the_list_of_achievements_runs_a_constant_number_of_queries(app, client, carer):
    person = young_person(carer)

    def add(n):
        with app.test_request_context():
            for i in range(n):
                record_achievement(person, by=carer, achieved_on=date(2025, 5, 1 + i % 28), area=AchievementArea.EDUCATION, description=f"A{i}", celebrated_with="C")
        db.session.commit()

    add(3)
    few = queries_for(client, "/achievements")
    add(30)
    assert queries_for(client, "/achievements") == few
    few = queries_for(client, f"/your-young-people/{person.public_id}/achievements")
    add(10)
    assert queries_for(client, f"/your-young-people/{person.public_id}/achievements") == few
