"""Young people without email (issue 17): every message meant for them also reaches their linked
worker, as an email with a neutral subject and the letter as a PDF holding the personal link (as a
QR code and as an address). The link is in the PDF only: never in the email's words, never kept in
the outbox after sending. Organisers see one list of letters to hand over."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback import services as feedback_services
from cpevents.invitations import services as invitation_services
from cpevents.mail.models import OutboxMessage
from cpevents.young_people.letters import LetterKind, WorkerLetter
from cpevents.young_people.models import WorkerRelationship
from cpevents.young_people.services import link_worker
from tests.factories import csrf_from, make_user, sign_in
from tests.feedback.helpers import past_event
from tests.invitations.helpers import invited, make_event
from tests.nominees.helpers import accept, file_to_accept

LINK = re.compile(r"https?://[^\s]+/(?:i|f|n)/[A-Za-z0-9_\-]+")


def _worker(person, organiser, name="Wendy Worker"):
    worker = make_user(Role.NOMINATOR, name=name)
    link_worker(person, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    db.session.commit()
    return worker


def _letter_pdf(item) -> tuple[str, int]:
    """The attached letter's text and how many images it has (the QR code)."""
    (attachment,) = list(item["message"].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, sum(len(page.images) for page in reader.pages)


def _check_worker_email(smtp_sink, worker, first_name: str) -> str:
    """The worker's email: neutral subject, no link in its words, the PDF with the link and its
    QR code. Returns the link's path."""
    (item,) = smtp_sink.wait_for(worker.email)
    assert item["subject"] == "A letter to pass on"
    text, html = smtp_sink.text(item), smtp_sink.html(item)
    assert f"A letter for {first_name}" in text and first_name in html
    assert not LINK.search(text) and not LINK.search(html) and "/i/" not in text and "/n/" not in text and "/f/" not in text
    pdf_text, images = _letter_pdf(item)
    assert images >= 1
    match = LINK.search(pdf_text)
    assert match, pdf_text
    return re.sub(r"^https?://[^/]+", "", match.group(0))


def _outbox_keeps_nothing(worker) -> None:
    db.session.expire_all()
    for message in db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == worker.email)).scalars():
        assert message.sealed_links is None and message.letter is None
        assert not LINK.search(message.text_body) and not LINK.search(message.html_body)


def test_an_invitation_reaches_the_worker_with_the_letter_and_the_link_only_in_the_pdf(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None, first_name="Tia")
    worker = _worker(invitation.young_person, organiser)
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    path = _check_worker_email(smtp_sink, worker, "Tia")
    _outbox_keeps_nothing(worker)
    assert client.get(path).status_code == 302  # the link in the letter works
    (letter,) = db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == invitation.young_person_id)).scalars()
    assert letter.kind == LetterKind.INVITATION and letter.worker_id == worker.id and letter.event_id == event.id


def test_a_reminder_reaches_the_worker_too(client, smtp_sink):
    event, organiser = make_event(reply_in_days=5)
    invitation = invited(event, organiser, email=None, first_name="Rio")
    invitation.sent_at = utcnow() - timedelta(days=3)
    worker = _worker(invitation.young_person, organiser)
    with current_app.test_request_context():
        assert invitation_services.send_reminders() == 1
    db.session.commit()
    path = _check_worker_email(smtp_sink, worker, "Rio")
    assert client.get(path).status_code == 302
    _outbox_keeps_nothing(worker)


def test_the_feedback_link_reaches_the_worker_too(client, smtp_sink):
    event, organiser, replied, _ = past_event(replied=1, no_email=1, unreplied=0)
    no_email = replied[-1]
    assert not no_email.young_person.email
    worker = _worker(no_email.young_person, organiser)
    with current_app.test_request_context():
        feedback_services.close_event(event, by=organiser)
    db.session.commit()
    path = _check_worker_email(smtp_sink, worker, no_email.young_person.first_name)
    assert path.startswith("/f/") and client.get(path).status_code == 302
    _outbox_keeps_nothing(worker)


def test_you_have_been_nominated_and_the_decision_reach_the_worker(client, smtp_sink):
    from cpevents.judging.services import create_panel
    from tests.nominees.test_decisions import _release

    file, organiser, _ = file_to_accept(email="", first="Noor")
    worker = _worker(file.young_person, organiser)
    accept(file, organiser)
    told_path = _check_worker_email(smtp_sink, worker, "Noor")
    assert told_path.startswith("/n/")
    smtp_sink.clear()
    panel = create_panel(file.event, by=organiser)
    db.session.commit()
    _release(panel, {"Noor": file}, organiser, shortlisted=("Noor",))
    (item,) = smtp_sink.wait_for(worker.email)
    assert item["subject"] == "A letter to pass on" and "shortlist" not in smtp_sink.text(item).lower()
    pdf_text, images = _letter_pdf(item)
    assert "shortlist" in pdf_text and images >= 1
    _outbox_keeps_nothing(worker)
    kinds = {letter.kind for letter in db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == file.young_person_id)).scalars()}
    assert kinds == {LetterKind.NOMINATED, LetterKind.DECISION}


def test_a_restricted_young_person_letter_never_has_the_venue(smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None, first_name="Ada", contact_restriction=True)
    worker = _worker(invitation.young_person, organiser)
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    (item,) = smtp_sink.wait_for(worker.email)
    pdf_text, _ = _letter_pdf(item)
    assert "County Hall" not in pdf_text and "County Hall" not in smtp_sink.text(item)


def test_a_restricted_nominee_waits_for_an_organiser_before_any_letter(smtp_sink):
    from cpevents.nominees import services as nominee_services

    file, organiser, _ = file_to_accept(email="", first="Ola", contact_restriction=True)
    worker = _worker(file.young_person, organiser)
    accept(file, organiser)
    smtp_sink.deliver()
    assert smtp_sink.to(worker.email) == []
    assert db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == file.young_person_id)).first() is None
    with current_app.test_request_context():
        nominee_services.organiser_tells(file, by=organiser)
    db.session.commit()
    assert _check_worker_email(smtp_sink, worker, "Ola").startswith("/n/")


def test_with_no_worker_the_letter_is_on_the_organisers_list(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None, first_name="Zed", last_name="Nobody")
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    smtp_sink.deliver()
    (letter,) = db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == invitation.young_person_id)).scalars()
    assert letter.worker_id is None
    sign_in(client, organiser)
    page = client.get("/letters").get_data(as_text=True)
    assert "Zed Nobody" in page and "No worker linked" in page and event.name in page
    assert not LINK.search(page)


def test_printing_again_makes_a_new_link_and_the_old_one_stops(client, smtp_sink):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None, first_name="Pip")
    worker = _worker(invitation.young_person, organiser)
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    old = _check_worker_email(smtp_sink, worker, "Pip")
    (letter,) = db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == invitation.young_person_id)).scalars()
    sign_in(client, organiser)
    token = csrf_from(client.get("/letters").get_data(as_text=True))
    response = client.post(f"/letters/{letter.public_id}/print", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    new = re.sub(r"^https?://[^/]+", "", LINK.search(text).group(0))
    assert new != old
    old_answer = current_app.test_client().get(old)
    assert not (old_answer.status_code == 302 and old_answer.headers["Location"].endswith("/invitation"))
    assert current_app.test_client().get(new).headers["Location"].endswith("/invitation")
    # handed over: off the list
    response = client.post(f"/letters/{letter.public_id}/handed-over", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkerLetter, letter.id).handed_over_at is not None
    page = client.get("/letters").get_data(as_text=True)
    assert "Marked as handed over" in page and f"/letters/{letter.public_id}/print" not in page


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.JUDGE, Role.CHAMPION, Role.BOARD, Role.DOOR_HELPER])
def test_only_organisers_reach_the_letters(client, role):
    event, organiser = make_event()
    invitation = invited(event, organiser, email=None)
    letter = WorkerLetter(young_person_id=invitation.young_person_id, kind=LetterKind.INVITATION, event_id=event.id, subject_id=invitation.id)
    db.session.add(letter)
    db.session.commit()
    sign_in(client, make_user(role, totp=True))
    assert client.get("/letters").status_code == 403
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post(f"/letters/{letter.public_id}/print", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/letters/{letter.public_id}/handed-over", data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(WorkerLetter, letter.id).handed_over_at is None


def test_an_unknown_letter_is_404_for_organisers(client):
    import uuid

    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    token = csrf_from(client.get("/letters").get_data(as_text=True))
    assert client.post(f"/letters/{uuid.uuid4()}/print", data={"csrf_token": token}).status_code == 404


def test_the_organisers_to_do_list_links_to_the_letters(client):
    event, organiser = make_event()
    invited(event, organiser, email=None)
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    sign_in(client, organiser)
    assert 'href="/letters"' in client.get("/organiser").get_data(as_text=True)


def test_the_demo_has_a_worker_with_letters_to_hand_over(app):
    from cpevents.accounts.models import User
    from cpevents.demo import seed_demo

    seed_demo()
    db.session.commit()
    nadia = db.session.execute(select(User).where(User.email == "nominator@demo.example.org")).scalar_one()
    letters = db.session.execute(select(WorkerLetter)).scalars().all()
    assert any(letter.worker_id == nadia.id and letter.handed_over_at is None for letter in letters)
    assert any(letter.worker_id is None for letter in letters)  # no worker linked
    assert any(letter.handed_over_at is not None for letter in letters)
    before = len(letters)
    seed_demo()
    db.session.commit()
    assert len(db.session.execute(select(WorkerLetter)).scalars().all()) == before


def test_a_young_person_without_email_gets_reminders_after_the_invitation_went_as_a_letter(client, smtp_sink):
    """Not only when a test marks the invitation sent: the real path (a letter, no sent_at)."""
    event, organiser = make_event(reply_in_days=5)
    invitation = invited(event, organiser, email=None, first_name="Bo")
    worker = _worker(invitation.young_person, organiser)
    with current_app.test_request_context():
        invitation_services.send_invitations(event, by=organiser)
    db.session.commit()
    _check_worker_email(smtp_sink, worker, "Bo")
    with current_app.test_request_context():
        assert invitation_services.send_reminders() == 1
    db.session.commit()
    kinds = [letter.kind for letter in db.session.execute(select(WorkerLetter).where(WorkerLetter.young_person_id == invitation.young_person_id)).scalars()]
    assert sorted(kinds) == sorted([LetterKind.INVITATION, LetterKind.REMINDER])
