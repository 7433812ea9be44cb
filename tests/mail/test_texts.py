"""Text messages through GOV.UK Notify (issue 17): the same outbox as email, sent to a local
stand-in for Notify (tests/mail/notify_server.py, the `notify` fixture) that checks each request
as Notify's API documents it and answers as Notify does."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from cpevents.core.enums import Role
from cpevents.core.phones import normalise_uk_mobile, shown_mobile
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback.services import send_feedback_links
from cpevents.invitations import services as invitations
from cpevents.mail.models import Channel, MessageStatus, OutboxMessage
from cpevents.mail.personal_links import LINK_REMOVED
from cpevents.mail.queries import batch_progress
from cpevents.mail.services import queue_text
from cpevents.privacy import erasure, subject_access
from cpevents.young_people.models import YoungPerson
from tests.factories import make_user, post_form, sign_in
from tests.invitations.helpers import invited, make_event
from tests.mail.notify_server import (
    API_KEY,
    INVALID_NUMBER,
    RATE_LIMITED_NUMBER,
    SERVICE_ID,
    TEMPLATE_ID,
)
from tests.support import run_outbox

MOBILE = "+447700900123"


def _agreed(organiser, mobile=MOBILE, **fields):
    return {"mobile": mobile, "mobile_agreed_at": utcnow(), "mobile_agreed_by_id": organiser.id, **fields}


def _send_invitations(app, event, organiser):
    with app.test_request_context():
        batch, emailed, letters = invitations.send_invitations(event, by=organiser)
        db.session.commit()
    return batch, emailed, letters


def _texts() -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.channel == Channel.TEXT).order_by(OutboxMessage.id)).scalars())


def _make_due():
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "447700900123", "(07700) 900-123", "0044 7700 900123"])
def test_uk_mobile_numbers_are_stored_one_way(typed):
    assert normalise_uk_mobile(typed) == MOBILE
    assert shown_mobile(MOBILE) == "07700 900123"


@pytest.mark.parametrize("typed", ["01632 960123", "0770090012", "077009001234", "+33 6 12 34 56 78", "seven", "07700 9OO123", ""])
def test_other_numbers_are_not_uk_mobiles(typed):
    assert normalise_uk_mobile(typed) is None


# --- sending ----------------------------------------------------------------------------------------------


def test_an_invitation_goes_by_email_and_by_text_with_the_same_working_link(app, client, smtp_sink, notify):
    event, organiser = make_event()
    invitation = invited(event, organiser, **_agreed(make_user(Role.ORGANISER)))
    person = invitation.young_person
    batch, emailed, _ = _send_invitations(app, event, organiser)
    assert emailed == 1
    text = _texts()[0]
    assert text.to_address == MOBILE and text.batch_id == batch.id and text.sealed_links and "/i/" not in text.text_body  # the link is sealed
    assert run_outbox(app)["sent"] == 2
    assert smtp_sink.wait_for(person.email)
    [sent] = notify.to(MOBILE)
    assert sent["template_id"] == TEMPLATE_ID and sent["reference"] == text.public_id
    body = sent["personalisation"]["body"]
    assert body.startswith(f"Hello {person.first_name}, you are invited to an event on ")
    assert not re.search(r"care", body, re.IGNORECASE) and event.name not in body and event.venue not in body  # neutral
    assert len(body) <= 306  # two text message parts at most
    link = re.search(r"https?://\S+/i/\S+", body).group(0)
    response = client.get("/i/" + link.rsplit("/i/", 1)[1])
    assert response.status_code == 302 and response.headers["Location"].endswith("/invitation")  # the link works
    db.session.expire_all()
    kept = db.session.get(OutboxMessage, text.id)
    assert kept.status == MessageStatus.SENT and kept.sealed_links is None and LINK_REMOVED in kept.text_body  # the link is not kept
    assert "/i/" not in kept.text_body


def test_a_young_person_without_email_still_gets_the_text_and_a_letter(app, notify):
    event, organiser = make_event()
    invited(event, organiser, email=None, **_agreed(organiser))
    batch, emailed, letters = _send_invitations(app, event, organiser)
    assert (emailed, letters) == (0, 1) and batch is not None
    run_outbox(app)
    assert len(notify.to(MOBILE)) == 1


def test_no_agreement_no_text(app, notify):
    event, organiser = make_event()
    invited(event, organiser, mobile=MOBILE)  # a number, but they did not agree
    _send_invitations(app, event, organiser)
    run_outbox(app)
    assert _texts() == [] and notify.sent == []


def test_not_set_up_no_text_and_no_mobile_fields(app, client):
    assert not app.config["NOTIFY_API_KEY"]
    event, organiser = make_event()
    invited(event, organiser, **_agreed(organiser))
    _send_invitations(app, event, organiser)
    with app.test_request_context():
        assert queue_text("invitation", to=MOBILE, name="Kai", when="", secrets={"link": "https://x.example/i/abc"}) is None
    assert _texts() == []
    sign_in(client, organiser)
    assert "mobile" not in client.get("/young-people/new").get_data(as_text=True).lower()
    assert "mobile" not in client.get(f"/events/{event.public_id}/register").get_data(as_text=True).lower()


def test_an_invalid_number_fails_at_once_and_shows_on_the_record(app, client, notify):
    event, organiser = make_event()
    invitation = invited(event, organiser, **_agreed(organiser, mobile=INVALID_NUMBER))
    _send_invitations(app, event, organiser)
    outcome = run_outbox(app)
    assert outcome["failed"] == 1 and outcome["retry"] == 0
    db.session.expire_all()
    [text] = _texts()
    assert text.status == MessageStatus.FAILED and text.attempts == 1 and text.undeliverable and text.sealed_links is None
    assert text.last_error == "Notify refused the number: invalid number"
    person = db.session.get(YoungPerson, invitation.young_person_id)
    assert person.mobile_failed == "invalid number" and not person.can_be_texted
    _make_due()
    assert run_outbox(app)["failed"] == 0  # never tried again
    sign_in(client, organiser)
    html = client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    assert "Texts to this number failed: invalid number" in html


def test_rate_limited_then_retried_and_sent(app, notify):
    event, organiser = make_event()
    invited(event, organiser, **_agreed(organiser, mobile=RATE_LIMITED_NUMBER))
    _send_invitations(app, event, organiser)
    first = run_outbox(app)
    assert first["retry"] == 1
    db.session.expire_all()
    [text] = _texts()
    assert text.status == MessageStatus.QUEUED and text.attempts == 1 and text.next_attempt_at > utcnow() and text.sealed_links
    assert text.last_error == "Notify is busy (rate limited)"
    _make_due()
    assert run_outbox(app)["sent"] == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, text.id).status == MessageStatus.SENT
    assert len(notify.to(RATE_LIMITED_NUMBER)) == 1


def test_a_wrong_key_fails_and_is_logged(app, notify, monkeypatch):
    from cpevents.mail import texts

    logged: list[str] = []
    monkeypatch.setattr(texts.log, "error", lambda message, *args: logged.append(message % args))
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY.replace(API_KEY[-36:], "00000000-0000-0000-0000-000000000000"))
    event, organiser = make_event()
    invited(event, organiser, **_agreed(organiser))
    _send_invitations(app, event, organiser)
    assert run_outbox(app)["failed"] == 1
    [text] = _texts()
    assert text.status == MessageStatus.FAILED and text.last_error == "Notify refused our key (check NOTIFY_API_KEY)"
    assert len(logged) == 1 and "403" in logged[0] and MOBILE not in logged[0] and "/i/" not in logged[0]
    assert notify.problems and all(p.startswith("403 AuthError") for p in notify.problems)
    notify.problems.clear()


def test_the_token_is_signed_as_notify_documents(notify):
    import jwt
    from notifications_python_client.authentication import create_jwt_token

    claims = jwt.decode(create_jwt_token(API_KEY[-36:], SERVICE_ID), API_KEY[-36:], algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID and abs(claims["iat"] - utcnow().timestamp()) < 30


def test_a_batch_counts_its_texts(app, notify):
    event, organiser = make_event()
    for i in range(3):
        invited(event, organiser, **_agreed(organiser, mobile=f"+44770090010{i}"))
    invited(event, organiser, **_agreed(organiser, mobile=INVALID_NUMBER))
    batch, emailed, _ = _send_invitations(app, event, organiser)
    with app.test_request_context():
        [progress] = [p for p in batch_progress() if p.batch.id == batch.id]
    assert progress.counts.total == 8 and progress.counts.queued == 8  # 4 emails, 4 texts
    run_outbox(app)
    with app.test_request_context():
        [progress] = [p for p in batch_progress() if p.batch.id == batch.id]
    assert (progress.counts.sent, progress.counts.failed, progress.counts.queued) == (7, 1, 0)


def test_reminders_and_feedback_links_go_by_text_too(app, notify):
    event, organiser = make_event(reply_in_days=6)
    invitation = invited(event, organiser, email=None, **_agreed(organiser))
    _send_invitations(app, event, organiser)
    invitation.sent_at = utcnow()  # the letter was handed over
    db.session.commit()
    with app.test_request_context():
        assert invitations.send_reminders() == 1
        db.session.commit()
    run_outbox(app)
    bodies = [s["personalisation"]["body"] for s in notify.to(MOBILE)]
    assert len(bodies) == 2 and "a reminder to reply" in bodies[1] and "/i/" in bodies[1]

    from tests.feedback.helpers import past_event

    event2, organiser2, replied, _ = past_event(replied=1)
    person = replied[0].young_person
    person.mobile, person.mobile_agreed_at = "+447700900200", utcnow()
    db.session.commit()
    with app.test_request_context():
        send_feedback_links(event2, by=organiser2)
        db.session.commit()
    run_outbox(app)
    [feedback] = notify.to("+447700900200")
    body = feedback["personalisation"]["body"]
    assert "thank you for coming" in body and "/f/" in body and not re.search(r"care", body, re.IGNORECASE)


# --- the record and the registration ---------------------------------------------------------------------------


FORM = {"first_name": "Jordan", "last_name": "Reyes", "preferred_name": "", "date_of_birth": ["17", "5", "2008"], "care_status": "in_care",
        "district": "", "email": "", "name_shown": "first_name", "contact_restriction_note": ""}


def test_the_record_keeps_a_mobile_number_and_who_recorded_the_agreement(app, client, notify):
    organiser = make_user(Role.ORGANISER, totp=True, name="Olu Organiser")
    sign_in(client, organiser)
    response = post_form(client, "/young-people/new", {**FORM, "mobile": "07700 9001", "mobile_agreed": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter a UK mobile number" in html and 'value="07700 9001"' in html
    response = post_form(client, "/young-people/new", {**FORM, "mobile": "", "mobile_agreed": "y"})
    assert response.status_code == 400 and "Enter their mobile number, or untick this box" in response.get_data(as_text=True)
    response = post_form(client, "/young-people/new", {**FORM, "mobile": "07700 900123"})
    person = db.session.execute(select(YoungPerson)).scalar_one()
    assert person.mobile == MOBILE and person.mobile_agreed_at is None and not person.can_be_texted
    html = client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    assert "07700 900123" in html and "not agreed to texts" in html
    edit = f"/young-people/{person.public_id}/edit"
    assert 'value="07700 900123"' in client.get(edit).get_data(as_text=True)
    post_form(client, edit, {**FORM, "mobile": "+44 7700 900123", "mobile_agreed": "y"})
    db.session.expire_all()
    person = db.session.get(YoungPerson, person.id)
    assert person.mobile_agreed_at is not None and person.mobile_agreed_by_id == organiser.id and person.can_be_texted
    assert "recorded by Olu Organiser" in client.get(f"/young-people/{person.public_id}").get_data(as_text=True)
    post_form(client, edit, {**FORM, "mobile": "+44 7700 900123"})  # unticked: no more texts
    db.session.expire_all()
    assert db.session.get(YoungPerson, person.id).mobile_agreed_at is None


def test_subject_access_includes_the_number_and_erasure_blanks_it(app, notify):
    event, organiser = make_event()
    invitation = invited(event, organiser, **_agreed(organiser))
    _send_invitations(app, event, organiser)
    run_outbox(app)
    person = invitation.young_person
    with app.test_request_context():
        data = subject_access.young_person_data(person)
        assert data["record"]["mobile_number"] == MOBILE and data["record"]["agreed_to_texts_at"]
        assert data["record"]["agreement_to_texts_recorded_by"] and len(data["texts"]) == 1
        request = erasure.request_erasure(person, reason="Asked by email", by=organiser)
        db.session.flush()
        erasure.confirm_erasure(request, by=make_user(Role.ORGANISER, totp=True))
        db.session.commit()
    db.session.expire_all()
    person = db.session.get(YoungPerson, person.id)
    assert (person.mobile, person.mobile_agreed_at, person.mobile_agreed_by_id) == ("", None, None)
    assert all(MOBILE not in m.to_address for m in _texts())


def test_the_email_page_shows_a_queued_text_without_its_link(app, client, notify):
    event, organiser = make_event()
    invited(event, organiser, **_agreed(organiser))
    batch, _, _ = _send_invitations(app, event, organiser)
    [text] = _texts()
    sign_in(client, organiser)
    html = client.get(f"/emails/{text.public_id}").get_data(as_text=True)
    assert "Text message (GOV.UK Notify)" in html and LINK_REMOVED in html and "/i/" not in html and "HTML version" not in html
    progress = client.get("/emails/progress.json").get_json()
    assert progress["overall"]["queued"] == 2  # the email and the text


def test_a_registration_may_keep_a_mobile_number_with_agreement(client, notify):
    from cpevents.registrations.models import Registration
    from tests.registrations.helpers import audiences, form_data
    from tests.registrations.helpers import make_event as make_registration_event

    event, _ = make_registration_event()
    page = f"/events/{event.public_id}/register"
    data = form_data(audiences(event)[0], email="pat.worker@example.org")
    response = post_form(client, page, {**data, "mobile": "07700 90012X", "mobile_agreed": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter a UK mobile number" in html and 'value="07700 90012X"' in html
    response = post_form(client, page, {**data, "mobile": "07700 900124", "mobile_agreed": "y"})
    assert response.status_code == 302
    registration = db.session.execute(select(Registration).where(Registration.email == "pat.worker@example.org")).scalar_one()
    assert registration.mobile == "+447700900124" and registration.mobile_agreed_at is not None


def test_merging_keeps_the_number_and_its_agreement(app):
    from cpevents.young_people.services import merge_young_people
    from tests.invitations.helpers import make_person

    organiser = make_user(Role.ORGANISER, totp=True)
    keep = make_person(organiser)
    other = make_person(organiser, **_agreed(organiser))
    merge_young_people(keep, other, by=organiser)
    db.session.commit()
    assert keep.mobile == MOBILE and keep.mobile_agreed_by_id == organiser.id and keep.can_be_texted


def test_notify_settings_are_checked_when_a_key_is_given():
    from cpevents.config import config_problems

    base = {"ENV_NAME": "development"}
    assert config_problems(base) == []
    assert config_problems({**base, "NOTIFY_API_KEY": API_KEY, "NOTIFY_TEMPLATE_TEXT": TEMPLATE_ID}) == []
    problems = config_problems({**base, "NOTIFY_API_KEY": "not-a-key", "NOTIFY_TEMPLATE_TEXT": ""})
    assert len(problems) == 2 and "NOTIFY_API_KEY" in problems[0] and "NOTIFY_TEMPLATE_TEXT" in problems[1]
    assert all("not-a-key" not in p for p in problems)  # the key is a secret: never repeated
