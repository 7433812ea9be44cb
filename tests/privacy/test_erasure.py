"""Erasure on request (issue 14): after it, nothing in any table names the person."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from flask import current_app
from sqlalchemy import func, select

from cpevents.core.enums import Role
from cpevents.extensions import db
from tests.factories import csrf_from, make_user, post_form, sign_in

FIRST, LAST, DOB = "Zephyrine", "Quillfeather", date(2009, 2, 17)
DOB_FORMS = ["2009-02-17", "17/02/2009", "17/2/2009", "17 February 2009", "17 Feb 2009", "17.02.2009"]


def find_everywhere(*needles: str, day: date | None = None) -> list[str]:
    """Every table, every column holding text (JSON too), searched for each needle (any case);
    and every date column for `day`. Returns "table.column: needle" for each hit."""
    hits = []
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False)
                if isinstance(value, str):
                    text = value.lower()
                    hits += [f"{table.name}.{column}: {n}" for n in lowered if n in text]
                elif day is not None and isinstance(value, date) and not isinstance(value, datetime) and value == day:
                    hits.append(f"{table.name}.{column}: date of birth")
    return hits


def _event(organiser, name="Erasure awards"):
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event

    return create_event(kind=EventKind.PROUD_AWARDS, name=name, starts_at=datetime(2030, 3, 1, 18, tzinfo=UTC),
                        venue="Town hall", capacity=None, description="", min_age=11, max_age=25, by=organiser)


def demo_like_young_person(organiser, nominator):
    """A young person with what the demo gives one: a worker, two nominations (one matched, one
    never matched but typed with the same name and date of birth), a panel text and judge's
    comment, an invitation with two guests and a reply draft, achievements and a certificate,
    and emails sent about them."""
    from cpevents.achievements.models import AchievementArea
    from cpevents.achievements.services import note_certificate, record_achievement
    from cpevents.invitations.models import AgeGroup, InvitationStatus, ReplyHow
    from cpevents.invitations.services import (
        Reply,
        invite,
        record_reply,
        save_draft,
        send_invitations,
    )
    from cpevents.judging.models import Assignment, PanelJudge, PanelText
    from cpevents.judging.services import create_panel
    from cpevents.mail.services import queue_email
    from cpevents.nominations.models import FileStatus, Nomination, NominationStatus
    from cpevents.nominations.review import match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person, link_worker

    person = create_young_person({"first_name": FIRST, "last_name": LAST, "preferred_name": "Zeph", "date_of_birth": DOB,
                                  "care_status": CareStatus.IN_CARE, "district": "Northmoor", "email": "zephyrine.q@example.org",
                                  "contact_restriction": True, "contact_restriction_note": f"Uncle of {FIRST} must not know"}, by=organiser)
    link_worker(person, nominator.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    event = _event(organiser)
    sent = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name=FIRST, last_name=LAST,
                      date_of_birth=DOB, care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER, district="Northmoor",
                      achievement=f"{FIRST} {LAST} started college and helps younger children.", background=f"{FIRST} moved placement in 2024.")
    unmatched = Nomination(event_id=event.id, nominator_id=nominator.id, status=NominationStatus.SENT, first_name=FIRST.upper(),
                           last_name=LAST, date_of_birth=DOB, care_status=CareStatus.IN_CARE, relationship_type=WorkerRelationship.CARER,
                           achievement=f"{FIRST} is brilliant")
    db.session.add_all([sent, unmatched])
    db.session.flush()
    file = match_nomination(sent, person, by=organiser)
    file.category_id, file.status = event.categories[0].id, FileStatus.ACCEPTED
    file.not_eligible_reason = f"About {FIRST}"
    panel = create_panel(event, by=organiser)
    judge = PanelJudge(panel=panel, user_id=make_user(Role.JUDGE).id)
    db.session.add(judge)
    db.session.flush()
    db.session.add(Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id, comment=f"{FIRST} deserves it", conflict_note=f"I know {LAST}s"))
    db.session.add(PanelText(nomination_id=sent.id, text=f"{FIRST} started college."))
    with current_app.test_request_context():
        achievement = record_achievement(person, by=nominator, achieved_on=date(2025, 5, 1), area=AchievementArea.EDUCATION,
                                         description=f"{FIRST} passed a test", celebrated_with=f"{FIRST}'s carer")
        record_achievement(person, by=nominator, achieved_on=date(2025, 6, 1), area=AchievementArea.HOBBIES if hasattr(AchievementArea, "HOBBIES") else AchievementArea.EDUCATION,
                           description="Joined a club", celebrated_with="Their worker")
        note_certificate(achievement, by=nominator)
        invitation = invite(event, person, by=organiser)
        send_invitations(event, by=organiser)
        record_reply(invitation, Reply(attending=InvitationStatus.COMING, guests=[(f"Mum of {FIRST}", AgeGroup.ADULT), ("Kit Quillfeather", AgeGroup.CHILD)]),
                     by=organiser, how=ReplyHow.ORGANISER)
        invitation.dietary_other = "No nuts"
        invitation.door_note = f"{FIRST} arrives late"
        save_draft(invitation, None, {"guests": [f"{FIRST}'s friend"]})
        queue_email("accounts/password_changed", to=nominator.email, subject="Test", name=f"{FIRST} {LAST}")
        queue_email("accounts/password_changed", to="someone.else@example.org", subject="Test", name="Unrelated Person")
    db.session.commit()
    return person, event, invitation


def _erase_young_person(person, first, second):
    from cpevents.privacy.erasure import confirm_erasure, request_erasure

    request = request_erasure(person, reason="Request by email 2 Dec", by=first)
    db.session.flush()
    confirm_erasure(request, by=second)
    db.session.commit()
    return request


def test_an_erased_young_person_is_found_nowhere(app, ctx):
    from cpevents.achievements.models import Achievement
    from cpevents.audit.models import AuditAction, AuditEntry
    from cpevents.invitations.models import Guest, Invitation, InvitationLink, ReplyDraft
    from cpevents.mail.models import OutboxMessage
    from cpevents.nominations.models import Nomination
    from cpevents.privacy.models import ErasureState
    from cpevents.young_people.models import YoungPerson

    first, second = make_user(Role.ORGANISER, name="Olu Organiser"), make_user(Role.ORGANISER, name="Ola Organiser")
    nominator = make_user(Role.NOMINATOR, name="Nia Nominator")
    person, event, invitation = demo_like_young_person(first, nominator)
    needles = [FIRST, LAST, "Zeph", "zephyrine.q@example.org", *DOB_FORMS]
    assert find_everywhere(*needles, day=DOB)  # the search does find them before
    counts = {m: db.session.execute(select(func.count()).select_from(m)).scalar_one() for m in (YoungPerson, Nomination, Invitation, Guest, Achievement)}

    from cpevents.core.cache import DataVersion

    versions = dict(db.session.execute(select(DataVersion.name, DataVersion.token)).all())
    request = _erase_young_person(person, first, second)

    assert find_everywhere(*needles, day=DOB) == []
    # Every cached page part is rendered again: each watched data version has a new token.
    after = dict(db.session.execute(select(DataVersion.name, DataVersion.token)).all())
    assert after and all(after[name] != versions.get(name) for name in after)
    # Totals hold: no row that counts towards a report went.
    assert counts == {m: db.session.execute(select(func.count()).select_from(m)).scalar_one() for m in counts}
    db.session.refresh(person)
    assert person.full_name == f"Erased {person.reference}"
    assert db.session.execute(select(func.count()).select_from(InvitationLink).where(InvitationLink.invitation_id == invitation.id)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(ReplyDraft).where(ReplyDraft.invitation_id == invitation.id)).scalar_one() == 0
    # The nominator keeps their account and their nomination; an unrelated email is untouched.
    db.session.refresh(nominator)
    assert nominator.name == "Nia Nominator"
    assert db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == "someone.else@example.org")).scalar_one().text_body != ""
    assert request.state == ErasureState.DONE and request.confirmed_by_id == second.id and "2 nominations about them" in request.summary
    erased = db.session.execute(select(AuditEntry).where(AuditEntry.action == AuditAction.ERASED, AuditEntry.young_person_id == person.id)).scalars().all()
    assert len(erased) == 1 and erased[0].actor_id == second.id


def test_the_page_says_what_goes_and_what_stays(client):
    first = make_user(Role.ORGANISER, totp=True)
    nominator = make_user(Role.NOMINATOR)
    person, _event_, _inv = demo_like_young_person(first, nominator)
    sign_in(client, first)
    assert "Erase this person’s data" in client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    page = client.get(f"/young-people/{person.public_id}/erase").get_data(as_text=True)
    for words in ("2 nominations about them", "1 invitation with 2 guests", "2 achievements", "1 certificate made",
                  "1 worker link", "the nominators’ accounts", "totals in reports"):
        assert words in page, words
    assert "emails’ bodies and addresses" in page


def test_a_young_person_needs_a_second_organiser(client, app):
    from cpevents.privacy.models import ErasureRequest, ErasureState

    first = make_user(Role.ORGANISER, totp=True)
    person, _e, _i = demo_like_young_person(first, make_user(Role.NOMINATOR))
    sign_in(client, first)
    # The reason is required, and what was typed stays.
    response = post_form(client, f"/young-people/{person.public_id}/erase", {"reason": ""})
    assert response.status_code == 400 and "Enter why you are erasing" in response.get_data(as_text=True)
    response = post_form(client, f"/young-people/{person.public_id}/erase", {"reason": "Request by email 2 Dec"})
    assert response.status_code == 302
    request = db.session.execute(select(ErasureRequest)).scalars().one()
    assert request.state == ErasureState.REQUESTED and request.reason == "Request by email 2 Dec"
    assert f"/erasure/{request.public_id}" in response.headers["Location"]
    # The same organiser is refused, with a message; nothing is erased.
    page = client.get(f"/erasure/{request.public_id}").get_data(as_text=True)
    assert "a different organiser must confirm it" in page
    token = csrf_from(page)
    response = client.post(f"/erasure/{request.public_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 400 and "different organiser must confirm" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.first_name == FIRST
    # Opening the erase page again leads to the waiting request, not a second one.
    assert f"/erasure/{request.public_id}" in client.get(f"/young-people/{person.public_id}/erase").headers["Location"]
    # A second organiser confirms.
    other = app.test_client()
    sign_in(other, make_user(Role.ORGANISER, totp=True))
    assert "/erasure" in client.get("/erasure").get_data(as_text=True)
    response = post_form(other, f"/erasure/{request.public_id}/confirm", {}, get_path=f"/erasure/{request.public_id}")
    assert response.status_code == 302
    db.session.refresh(request)
    db.session.refresh(person)
    assert request.state == ErasureState.DONE and person.first_name == "Erased"
    assert find_everywhere(FIRST, LAST, *DOB_FORMS, day=DOB) == []
    listing = other.get("/erasure").get_data(as_text=True)
    assert request.reference in listing and "Erased" in listing
    record = other.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    assert "was erased on request" in record and "Erase this person’s data" not in record


def test_either_organiser_can_cancel(client, app):
    from cpevents.privacy.erasure import request_erasure
    from cpevents.privacy.models import ErasureState

    first = make_user(Role.ORGANISER, totp=True)
    person, _e, _i = demo_like_young_person(first, make_user(Role.NOMINATOR))
    request = request_erasure(person, reason="Asked in person", by=first)
    db.session.commit()
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    response = post_form(client, f"/erasure/{request.public_id}/cancel", {}, get_path=f"/erasure/{request.public_id}")
    assert response.status_code == 302
    db.session.refresh(request)
    db.session.refresh(person)
    assert request.state == ErasureState.CANCELLED and person.first_name == FIRST
    # Once cancelled it can be neither confirmed nor cancelled again.
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post(f"/erasure/{request.public_id}/confirm", data={"csrf_token": token}).status_code == 400


def test_an_erased_nominator_is_found_nowhere_but_their_nominations_stay(client, app):
    from cpevents.accounts.services import FORMER_USER_NAME
    from cpevents.nominations.models import Nomination

    organiser = make_user(Role.ORGANISER, totp=True)
    nominator = make_user(Role.NOMINATOR, name="Ottoline Brackenbury", email="ottoline.b@example.org", organisation="Fernhill School",
                          job_title="Teacher")
    person, _e, _i = demo_like_young_person(organiser, nominator)
    with app.test_request_context():
        from cpevents.mail.services import queue_email

        queue_email("accounts/password_changed", to="organiser@example.org", subject="Test", name="Ottoline Brackenbury")
    db.session.commit()
    written = db.session.execute(select(func.count()).select_from(Nomination).where(Nomination.nominator_id == nominator.id)).scalar_one()
    needles = ["Ottoline", "Brackenbury", "ottoline.b@example.org", "Fernhill"]
    assert find_everywhere(*needles)
    sign_in(client, organiser)
    page = client.get(f"/people/{nominator.public_id}/erase").get_data(as_text=True)
    assert "2 nominations they wrote" in page and "Former user" in page
    response = post_form(client, f"/people/{nominator.public_id}/erase", {"reason": "Request by phone"})
    assert response.status_code == 302
    assert find_everywhere(*needles) == []
    db.session.refresh(nominator)
    assert nominator.name == FORMER_USER_NAME
    assert db.session.execute(select(func.count()).select_from(Nomination).where(Nomination.nominator_id == nominator.id)).scalar_one() == written
    db.session.refresh(person)
    assert person.first_name == FIRST  # the young person's data stays for them


def test_an_organiser_cannot_erase_their_own_account(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    response = post_form(client, f"/people/{organiser.public_id}/erase", {"reason": "Mine"}, get_path="/account")
    assert response.status_code == 400 and "cannot erase your own account" in response.get_data(as_text=True)


def test_an_erased_registrant_is_found_nowhere(client, app):
    from cpevents.registrations.models import AudienceKind, Registration
    from cpevents.registrations.services import Details, add_audience, register

    organiser = make_user(Role.ORGANISER, totp=True)
    event = _event(organiser, "Care leavers week")
    audience = add_audience(event, name="Professionals", kind=AudienceKind.PROFESSIONALS, capacity=None, registration_open=True)
    with app.test_request_context():
        registration = register(event, audience, Details(name="Perpetua Wintergreen", email="perpetua.w@example.org",
                                                         organisation="Wintergreen Trust", access_needs="Step-free access")).registration
    db.session.commit()
    needles = ["Perpetua", "Wintergreen", "perpetua.w@example.org"]
    assert find_everywhere(*needles)
    sign_in(client, organiser)
    assert f"/registrations/{registration.public_id}/erase" in client.get(f"/events/{event.public_id}/registrations").get_data(as_text=True)
    response = post_form(client, f"/registrations/{registration.public_id}/erase", {"reason": "Request by email"})
    assert response.status_code == 302
    assert find_everywhere(*needles) == []
    assert db.session.execute(select(func.count()).select_from(Registration).where(Registration.event_id == event.id)).scalar_one() == 1


def test_an_erased_champion_is_found_nowhere(client, app):
    from cpevents.champions.models import PledgeKind
    from cpevents.champions.queries import active_services
    from cpevents.champions.services import apply_signed_in

    organiser = make_user(Role.ORGANISER, totp=True)
    applicant = make_user(Role.NOMINATOR, name="Barnaby Thistlewood", email="barnaby.t@example.org", job_title="Housing officer")
    with app.test_request_context():
        champion = apply_signed_in(applicant, job_title="Housing officer", service=active_services()[0], pledges=[PledgeKind.MENTOR],
                                   pledge_words="Barnaby will mentor two care leavers")
    db.session.commit()
    needles = ["Barnaby", "Thistlewood", "barnaby.t@example.org", "Housing officer"]
    assert find_everywhere(*needles)
    sign_in(client, organiser)
    assert "Erase this person’s data" in client.get(f"/champions/applications/{champion.public_id}").get_data(as_text=True)
    response = post_form(client, f"/champions/applications/{champion.public_id}/erase", {"reason": "Request by email"})
    assert response.status_code == 302
    assert find_everywhere(*needles) == []


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER])
def test_only_organisers_reach_erasure(client, role):
    from cpevents.privacy.erasure import request_erasure

    organiser = make_user(Role.ORGANISER)
    person, _e, _i = demo_like_young_person(organiser, make_user(Role.NOMINATOR))
    request = request_erasure(person, reason="Asked", by=organiser)
    db.session.commit()
    sign_in(client, make_user(role, totp=role == Role.BOARD))
    token = csrf_from(client.get("/account").get_data(as_text=True))
    for path in ("/erasure", f"/erasure/{request.public_id}", f"/young-people/{person.public_id}/erase"):
        assert client.get(path).status_code == 403, path
    for path in (f"/erasure/{request.public_id}/confirm", f"/erasure/{request.public_id}/cancel", f"/young-people/{person.public_id}/erase"):
        assert client.post(path, data={"csrf_token": token, "reason": "x"}).status_code == 403, path
    db.session.refresh(person)
    assert person.first_name == FIRST
