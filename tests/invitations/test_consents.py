"""Consents that are clear, separate and can be withdrawn (issue 16, part G)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from cpevents.door.queries import door_row
from cpevents.extensions import db
from cpevents.invitations import consents
from cpevents.invitations.models import ConsentHow, ConsentKind, ConsentRecord, NameRead
from tests.invitations.helpers import error_text, invited, make_event, open_link, post, reply_yes


def _records(invitation):
    return db.session.scalars(select(ConsentRecord).where(ConsentRecord.invitation_id == invitation.id).order_by(ConsentRecord.id)).all()


def _markers(invitation):
    db.session.expire_all()
    return [m.text for m in door_row(invitation).markers]


def test_no_choice_is_made_for_them_before_they_reply(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    post(client, "/invitation/can-you-come", {"attending": "yes"})
    post(client, "/invitation/guests", {"guest_count": "0"})
    html = client.get("/invitation/your-needs").get_data(as_text=True)
    inputs = re.findall(r"<input[^>]+>", html)
    consent_inputs = [i for i in inputs if re.search(r'name="(photo_consent|name_read|use_after)"', i)]
    assert len(consent_inputs) == 1 + 3 + 4
    assert not [i for i in consent_inputs if "checked" in i]
    # Not choosing how their name is read out is an error beside the question, what was ticked kept.
    response = post(client, "/invitation/your-needs", {"photo_consent": "y", "use_after": ["press"], "travel_help": "no"})
    assert response.status_code == 400
    assert "Select how your name should be read out" in error_text(response)
    html = response.get_data(as_text=True)
    assert re.search(r'value="press"[^>]*checked', html)


def test_each_answer_is_recorded_with_when_and_how(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    response = reply_yes(client, guests=(("Sam Carer", "adult"),), photo_consent="y", use_after=["website", "annual_report"], name_read="full_name")
    assert response.status_code == 302, error_text(response)
    db.session.expire_all()
    assert invitation.photo_consent and invitation.photos_ok and invitation.name_read == NameRead.FULL_NAME
    assert invitation.use_website and invitation.use_annual_report and not invitation.use_social and not invitation.use_press
    records = {(r.kind, r.guest_id): r for r in _records(invitation)}
    assert records[(ConsentKind.PHOTOS, None)].answer == "yes"
    assert records[(ConsentKind.USE_PRESS, None)].answer == "no"
    assert records[(ConsentKind.NAME_READ, None)].answer == "full_name"
    assert all(r.how == ConsentHow.LINK and r.recorded_at is not None and r.by_id is None for r in records.values())
    # The guest was asked too, and said nothing: no photos of them.
    guest = invitation.guests[0]
    assert records[(ConsentKind.PHOTOS, guest.id)].answer == "no"
    assert "No photos" not in _markers(invitation)


def test_an_organiser_on_the_phone_is_recorded_as_such(app):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    written = consents.set_consents(invitation, {ConsentKind.PHOTOS: True}, how=ConsentHow.PHONE, by=organiser)
    db.session.commit()
    assert [(r.kind, r.answer, r.how, r.by_id) for r in written] == [(ConsentKind.PHOTOS, "yes", ConsentHow.PHONE, organiser.id)]
    # The same answer again writes nothing; a change writes one record.
    assert consents.set_consents(invitation, {ConsentKind.PHOTOS: True}, how=ConsentHow.PHONE, by=organiser) == []
    assert len(consents.set_consents(invitation, {ConsentKind.PHOTOS: False}, how=ConsentHow.PHONE, by=organiser)) == 1


def test_under_13_photo_consent_counts_as_no_until_a_worker_agrees(app):
    event, organiser = make_event()
    young = invited(event, organiser, date_of_birth=date.today().replace(year=date.today().year - 11))
    consents.set_consents(young, {ConsentKind.PHOTOS: True, ConsentKind.USE_WEBSITE: True}, how=ConsentHow.LINK)
    db.session.commit()
    assert consents.waiting_for_agreement(young)
    assert not young.photos_ok and not consents.counts(young, ConsentKind.USE_WEBSITE)
    assert "No photos" in _markers(young)
    consents.record_agreement(young, True, how=ConsentHow.PHONE, by=organiser)
    db.session.commit()
    assert young.photos_ok and consents.counts(young, ConsentKind.USE_WEBSITE)
    assert "No photos" not in _markers(young)


def test_a_worker_can_mark_an_older_young_person_as_needing_agreement(app):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    consents.set_consents(invitation, {ConsentKind.PHOTOS: True}, how=ConsentHow.LINK)
    assert invitation.photos_ok
    consents.mark_needs_agreement(invitation, True, how=ConsentHow.WORKER, by=organiser)
    db.session.commit()
    assert not invitation.photos_ok and "No photos" in _markers(invitation)


def _replied(client, **needs):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    response = reply_yes(client, guests=(("Sam Carer", "adult"),), name_read="first_name", **needs)
    assert response.status_code == 302, error_text(response)
    return event, organiser, invitation


def test_withdrawing_changes_the_door_list_at_once_and_tells_the_organisers(client):
    from cpevents.mail.models import OutboxMessage

    event, organiser, invitation = _replied(client, photo_consent="y", use_after=["press"])
    assert "No photos" not in _markers(invitation)
    before = db.session.scalars(select(OutboxMessage)).all()
    page = client.get("/invitation/your-choices")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert re.search(r'name="photo_consent"[^>]*checked', html) and re.search(r'value="press"[^>]*checked', html)
    response = post(client, "/invitation/your-choices", {"name_read": "first_name"})  # nothing ticked: photos withdrawn
    assert response.status_code == 302
    db.session.expire_all()
    assert not invitation.photo_consent and not invitation.photos_ok and not invitation.use_press
    assert "No photos" in _markers(invitation)
    last = _records(invitation)[-2:]
    assert {(r.kind, r.answer, r.how) for r in last} == {(ConsentKind.PHOTOS, "no", ConsentHow.LINK), (ConsentKind.USE_PRESS, "no", ConsentHow.LINK)}
    sent = [m for m in db.session.scalars(select(OutboxMessage)).all() if m not in before]
    to_organiser = [m for m in sent if m.to_address == organiser.email]
    assert len(to_organiser) == 1
    subject = to_organiser[0].subject
    assert subject == consents.SUBJECT_CHOICES_CHANGED
    person = invitation.young_person
    assert person.first_name not in subject and "photo" not in subject.lower() and "care" not in subject.lower()
    assert "Your choices are saved" in client.get("/invitation/your-choices?saved=1").get_data(as_text=True)


def test_a_guests_photo_answer_shows_at_the_door(client):
    event, organiser, invitation = _replied(client, photo_consent="y")
    db.session.expire_all()
    assert not door_row(invitation).guests[0].photos_ok
    guest = invitation.guests[0]
    response = post(client, "/invitation/your-choices", {"name_read": "first_name", "photo_consent": "y", "guest_photos": [str(guest.public_id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert door_row(invitation).guests[0].photos_ok


def test_a_link_shows_and_changes_only_its_own_invitations_choices(client):
    event, organiser, mine = _replied(client, photo_consent="y")
    other = invited(event, organiser)
    from cpevents.invitations.models import AgeGroup, Guest

    their_guest = Guest(invitation_id=other.id, name="Other Guest", age_group=AgeGroup.ADULT, position=0)
    db.session.add(their_guest)
    db.session.commit()
    html = client.get("/invitation/your-choices").get_data(as_text=True)
    assert "Other Guest" not in html and other.young_person.first_name not in html
    response = post(client, "/invitation/your-choices", {"name_read": "no_name", "guest_photos": [str(their_guest.public_id)]})
    assert response.status_code == 400
    db.session.expire_all()
    assert not their_guest.photo_consent and other.name_read == NameRead.FIRST_NAME and mine.name_read == NameRead.FIRST_NAME


def test_without_a_reply_or_a_link_there_are_no_choices_to_change(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    assert client.get("/invitation/your-choices").status_code == 404
    open_link(client, invitation)
    assert client.get("/invitation/your-choices").status_code == 302


def test_an_organiser_records_a_phone_consent_and_a_carers_agreement(client):
    from tests.factories import sign_in

    event, organiser = make_event()
    invitation = invited(event, organiser, date_of_birth=date.today().replace(year=date.today().year - 12))
    sign_in(client, organiser)
    path = f"/invitations/{invitation.public_id}/consents"
    html = client.get(path).get_data(as_text=True)
    assert "under 13" in html
    response = post(client, path, {"photo_consent": "y", "name_read": "full_name", "use_after": ["social"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert invitation.photo_consent and not invitation.photos_ok  # waiting for agreement
    assert "No photos" in _markers(invitation)
    response = post(client, path, {"photo_consent": "y", "name_read": "full_name", "use_after": ["social"], "agreed": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert invitation.photos_ok and consents.counts(invitation, ConsentKind.USE_SOCIAL)
    records = _records(invitation)
    assert {r.how for r in records} == {ConsentHow.PHONE} and {r.by_id for r in records} == {organiser.id}
    assert ConsentKind.AGREEMENT in {r.kind for r in records}
    # Bad input: message beside the field, 400.
    response = post(client, path, {"photo_consent": "y", "use_after": ["billboard"]})
    assert response.status_code == 400 and "Select" in error_text(response)


def test_other_roles_cannot_reach_the_consents_page(client):
    from cpevents.core.enums import Role
    from tests.factories import make_user, sign_in

    event, organiser = make_event()
    invitation = invited(event, organiser)
    path = f"/invitations/{invitation.public_id}/consents"
    assert client.get(path).status_code in (302, 401)  # signed out: to sign in
    sign_in(client, make_user(Role.JUDGE))
    assert client.get(path).status_code == 403


def test_a_worker_not_linked_to_them_gets_404(client):
    from cpevents.core.enums import Role
    from tests.factories import make_user, sign_in

    event, organiser = make_event()
    invitation = invited(event, organiser)
    sign_in(client, make_user(Role.NOMINATOR))
    assert client.get(f"/invitations/{invitation.public_id}/consents").status_code == 404


def test_an_adult_guest_answers_about_photos_as_they_are_entered(client):
    event, organiser = make_event()
    invitation = invited(event, organiser)
    open_link(client, invitation)
    post(client, "/invitation/can-you-come", {"attending": "yes"})
    html = client.get("/invitation/guests").get_data(as_text=True)
    assert re.search(r'<input[^>]+name="guest1_photos"', html) and not re.search(r'<input[^>]+name="guest1_photos"[^>]*checked', html)
    response = post(client, "/invitation/guests", {"guest_count": "2", "guest1_name": "Sam Carer", "guest1_age": "adult", "guest1_photos": "y",
                                                   "guest2_name": "Lily", "guest2_age": "child"})
    assert response.status_code == 302, error_text(response)
    post(client, "/invitation/your-needs", {"travel_help": "no", "name_read": "first_name"})
    assert post(client, "/invitation/check-your-answers", {}).status_code == 302
    db.session.expire_all()
    assert [(g.name, g.photo_consent) for g in invitation.guests] == [("Sam Carer", True), ("Lily", False)]
    assert [g.photos_ok for g in door_row(invitation).guests] == [True, False]


def test_the_demo_has_each_consent_state(app):
    from cpevents.demo import seed_demo

    with app.test_request_context():
        seed_demo()
        db.session.commit()
    records = db.session.scalars(select(ConsentRecord)).all()
    by_invitation: dict[int, list[ConsentRecord]] = {}
    for r in records:
        by_invitation.setdefault(r.invitation_id, []).append(r)
    photos = {i: [r.answer for r in rs if r.kind == ConsentKind.PHOTOS and r.guest_id is None] for i, rs in by_invitation.items()}
    assert ["yes"] in photos.values()  # given
    assert ["no"] in photos.values()  # refused
    assert ["yes", "no"] in photos.values()  # withdrawn
    waiting = [r.invitation_id for r in records if r.kind == ConsentKind.NEEDS_AGREEMENT and r.answer == "yes"]
    from cpevents.invitations.models import Invitation

    assert waiting and not db.session.get(Invitation, waiting[0]).photos_ok


def test_a_reply_recorded_for_them_chooses_nothing_for_them_either(client):
    from tests.factories import sign_in

    event, organiser = make_event()
    invitation = invited(event, organiser)
    sign_in(client, organiser)
    path = f"/invitations/{invitation.public_id}/reply"
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r'<input[^>]+name="name_read"[^>]*checked', html)
    response = post(client, path, {"attending": "yes", "guest_count": "0", "travel_help": "no"})
    assert response.status_code == 400 and "Select how their name should be read out" in error_text(response)
    response = post(client, path, {"attending": "yes", "guest_count": "0", "travel_help": "no", "name_read": "no_name", "photo_consent": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {(r.kind, r.answer, r.how) for r in _records(invitation)} >= {(ConsentKind.NAME_READ, "no_name", ConsentHow.PHONE),
                                                                        (ConsentKind.PHOTOS, "yes", ConsentHow.PHONE)}
