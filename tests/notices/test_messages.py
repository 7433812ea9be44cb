"""Messages to the people coming (issue 17): an organiser writes to one group of one event's people,
sees who it reaches and who cannot be emailed, previews it, and it goes as one batch; each message is
kept with the event. Read from the SMTP sink."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from cpevents.audit.models import AuditEntry
from cpevents.core.enums import Role
from cpevents.extensions import db
from cpevents.invitations.models import InvitationStatus
from cpevents.mail import queries as mail_queries
from cpevents.mail.models import OutboxMessage
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.notices.models import EventMessage, MessageGroup
from cpevents.registrations.models import Registration, RegistrationStatus
from cpevents.young_people.models import WorkerRelationship
from cpevents.young_people.services import link_worker
from tests.door.helpers import coming, door_helper
from tests.factories import make_user, post_form, sign_in
from tests.registrations.helpers import audiences
from tests.registrations.helpers import make_event as _make_event

VENUE = "The Riverside Centre, Quay Street"


@pytest.fixture
def organiser_client(client):
    organiser = make_user(Role.ORGANISER, totp=True)
    sign_in(client, organiser)
    client.organiser = organiser
    return client


def _register(event, audience, name, email, status=RegistrationStatus.CONFIRMED):
    registration = Registration(event_id=event.id, audience_id=audience.id, name=name, email=email, email_key=email.lower(), status=status)
    db.session.add(registration)
    db.session.commit()
    return registration


def _nomination(event, nominator, status=NominationStatus.SENT):
    db.session.add(Nomination(event_id=event.id, nominator_id=nominator.id, status=status, first_name="Ana", last_name="Lee"))
    db.session.commit()


def _world():
    """One event with someone in every group, and people in no group (who must hear nothing)."""
    event, organiser = _make_event()
    professionals, councillors = audiences(event)
    coming(event, organiser, email="coming@example.org", guests=())
    coming(event, organiser, email="offered@example.org", guests=(), status=InvitationStatus.OFFERED)
    coming(event, organiser, email="notreplied@example.org", guests=(), status=InvitationStatus.NOT_REPLIED)
    coming(event, organiser, email="notsure@example.org", guests=(), status=InvitationStatus.NOT_SURE)
    coming(event, organiser, email="waiting@example.org", guests=(), status=InvitationStatus.WAITING)
    coming(event, organiser, email="notcoming@example.org", guests=(), status=InvitationStatus.NOT_COMING)
    _register(event, professionals, "Pat Adviser", "pat@example.org")
    _register(event, councillors, "Cllr Green", "green@example.org")
    _register(event, councillors, "Cllr Waiting", "cllrwait@example.org", status=RegistrationStatus.WAITING)
    _register(event, councillors, "Cllr Gone", "gone@example.org", status=RegistrationStatus.CANCELLED)
    _nomination(event, make_user(Role.NOMINATOR, email="nominator@example.org"))
    _nomination(event, make_user(Role.NOMINATOR, email="nominator2@example.org"))
    twice = make_user(Role.NOMINATOR, email="twice@example.org")
    _nomination(event, twice)
    _nomination(event, twice)
    _nomination(event, make_user(Role.NOMINATOR, email="draft@example.org"), NominationStatus.DRAFT)
    _nomination(event, make_user(Role.NOMINATOR, email="withdrawn@example.org"), NominationStatus.WITHDRAWN)
    door_helper(event, email="door@example.org", name="Dee Helper")
    door_helper(None, email="otherdoor@example.org")
    other, _ = _make_event(organiser=organiser)  # another event's people hear nothing
    coming(other, organiser, email="other-event@example.org", guests=())
    return event, organiser


EVERYONE = {"coming@example.org", "offered@example.org", "notreplied@example.org", "notsure@example.org", "waiting@example.org",
            "notcoming@example.org", "pat@example.org", "green@example.org", "cllrwait@example.org", "gone@example.org",
            "nominator@example.org", "nominator2@example.org", "twice@example.org", "draft@example.org", "withdrawn@example.org",
            "door@example.org", "otherdoor@example.org", "other-event@example.org"}


def _key(event, group: str) -> str:
    if group.startswith("audience:"):
        name = group.split(":", 1)[1]
        audience = next(a for a in audiences(event) if a.name.lower() == name)
        return f"audience-{audience.public_id}"
    return group


def _data(event, group="coming", subject="About the evening", text="See you there.\n\nBring a friend."):
    return {"group": _key(event, group), "subject": subject, "text": text}


def _preview(client, event, **fields):
    return post_form(client, f"/events/{event.public_id}/messages/new", _data(event, **fields))


def _send(client, event, **fields):
    data = _data(event, **fields)
    preview = _preview(client, event, **fields)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:3000]
    response = post_form(client, f"/events/{event.public_id}/messages/send", {**data, "send": "yes"}, get_path=f"/events/{event.public_id}/messages/new")
    db.session.expire_all()
    return response


def _recipients() -> set[str]:
    return {m.to_address for m in db.session.execute(select(OutboxMessage).where(OutboxMessage.template.like("notices/message_%"))).scalars()}


# --- the safeguarding rule first ------------------------------------------------------------------


def test_young_person_whose_venue_is_hidden_never_gets_the_organisers_words(organiser_client, smtp_sink):
    event, organiser = _make_event()
    coming(event, organiser, contact_restriction=True, email="hidden@example.org", guests=())
    coming(event, organiser, email="open@example.org", guests=())
    subject, text = f"Meet at {VENUE}", f"We meet at {VENUE} at six. See you there!"
    preview = _preview(organiser_client, event, subject=subject, text=text).get_data(as_text=True)
    assert "1 young person in this group has a contact restriction" in preview
    assert "A message about an event you are invited to" in preview and "speak to your worker" in preview
    assert _send(organiser_client, event, subject=subject, text=text).status_code == 302

    item = smtp_sink.wait_for("hidden@example.org")[0]
    text_part, html_part = smtp_sink.text(item), smtp_sink.html(item)
    for words in (VENUE, "Riverside", "Quay Street", "See you there", "Meet at"):
        assert words not in item["subject"] and words not in text_part and words not in html_part
    assert item["subject"] == "A message about an event you are invited to"
    assert "speak to your worker" in text_part and "This link is just for you" in text_part
    # ... while a young person without a restriction gets the organiser's subject and words.
    other = smtp_sink.wait_for("open@example.org")[0]
    assert other["subject"] == subject and VENUE in smtp_sink.text(other)


# --- each group, exactly --------------------------------------------------------------------------


@pytest.mark.parametrize(("group", "expected"), [
    ("coming", {"coming@example.org", "offered@example.org"}),
    ("not_replied", {"notreplied@example.org", "notsure@example.org"}),
    ("waiting", {"waiting@example.org"}),
    ("not_coming", {"notcoming@example.org"}),
    ("audience:professionals", {"pat@example.org"}),
    ("audience:councillors", {"green@example.org", "cllrwait@example.org"}),
    ("nominators", {"nominator@example.org", "nominator2@example.org", "twice@example.org"}),
    ("door_helpers", {"door@example.org"}),
])
def test_each_group_is_reached_exactly_and_nobody_else(organiser_client, group, expected):
    event, _ = _world()
    page = organiser_client.get(f"/events/{event.public_id}/messages/new").get_data(as_text=True)
    assert "Who is it for?" in page
    response = _send(organiser_client, event, group=group)
    assert response.status_code == 302
    assert _recipients() == expected
    assert expected <= EVERYONE
    message = db.session.execute(select(EventMessage).where(EventMessage.event_id == event.id)).scalar_one()
    assert message.emailed == len(expected) and message.batch_id is not None
    assert {m.batch_id for m in db.session.execute(select(OutboxMessage).where(OutboxMessage.template.like("notices/message_%"))).scalars()} == {message.batch_id}


def test_the_write_page_counts_each_group(organiser_client):
    event, _ = _world()
    coming(event, organiser_client.organiser, email=None, guests=())  # coming, no email address
    page = html.unescape(organiser_client.get(f"/events/{event.public_id}/messages/new").get_data(as_text=True))
    assert "Young people coming (or offered a place): 2 by email, 1 without email" in page
    assert "Registered as councillors: 2 by email" in page
    assert "Nominators of this event's nominations: 3 by email" in page
    assert "Door helpers: 1 by email" in page


def test_each_email_says_hello_and_carries_its_own_link_where_the_person_has_one(organiser_client, smtp_sink):
    event, _ = _world()
    _send(organiser_client, event, group="not_replied", text="Please reply by Friday.")
    item = smtp_sink.wait_for("notreplied@example.org")[0]
    text_part = smtp_sink.text(item)
    assert text_part.startswith("Hello Kai") and "Please reply by Friday." in text_part
    assert smtp_sink.link(item).startswith("/i/")  # their own invitation link, as every invitation email carries
    assert "This link is just for you" in text_part and "Please reply by Friday." in smtp_sink.html(item)
    _send(organiser_client, event, group="audience:councillors", subject="Parking", text="Park at the back.")
    waiting = smtp_sink.wait_for("cllrwait@example.org")[0]
    assert "You are on the waiting list for councillors" in smtp_sink.text(waiting) and "cancel here" in smtp_sink.text(waiting)
    _send(organiser_client, event, group="nominators", subject="Thank you", text="Thank you for your nominations.")
    nominator = smtp_sink.wait_for("twice@example.org")[0]
    assert len(smtp_sink.to("twice@example.org")) == 1
    assert "sign in" in smtp_sink.text(nominator) and "just for you" not in smtp_sink.text(nominator)


def test_young_people_without_email_are_counted_and_named_for_the_organiser(organiser_client):
    event, organiser = _make_event()
    worker = make_user(Role.NOMINATOR, name="Wendy Worker")
    invitation = coming(event, organiser, email=None, guests=(), first_name="Noor", last_name="Ahmed")
    link_worker(invitation.young_person, worker.email, WorkerRelationship.SOCIAL_WORKER, by=organiser)
    db.session.commit()
    coming(event, organiser, email="yp@example.org", guests=())
    preview = html.unescape(_preview(organiser_client, event).get_data(as_text=True))
    assert "1 young person has no email address" in preview and "Noor Ahmed: ask Wendy Worker" in preview
    assert "Send the message to 1 person" in preview
    _send(organiser_client, event)
    message = db.session.execute(select(EventMessage).where(EventMessage.event_id == event.id)).scalar_one()
    assert (message.emailed, message.not_emailed) == (1, 1)
    page = organiser_client.get(f"/events/{event.public_id}/messages/{message.public_id}").get_data(as_text=True)
    assert "ask their worker to tell them" in page and "Noor" not in page  # counted only: the kept message names nobody


# --- kept and listed ------------------------------------------------------------------------------


def test_the_message_is_kept_listed_readable_and_audited(organiser_client):
    event, _ = _world()
    response = _send(organiser_client, event, group="waiting", subject="Still waiting", text="A place may come up.\n\nWe will tell you.")
    message = db.session.execute(select(EventMessage).where(EventMessage.event_id == event.id)).scalar_one()
    assert response.headers["Location"] == f"/events/{event.public_id}/messages/{message.public_id}"
    assert (message.group, message.subject, message.sent_by_id) == (MessageGroup.WAITING, "Still waiting", organiser_client.organiser.id)
    assert message.text.replace("\r\n", "\n") == "A place may come up.\n\nWe will tell you."
    listing = organiser_client.get(f"/events/{event.public_id}/messages").get_data(as_text=True)
    assert "Still waiting" in listing and "Young people on the waiting list" in listing
    shown = organiser_client.get(f"/events/{event.public_id}/messages/{message.public_id}").get_data(as_text=True)
    assert "A place may come up." in shown and "We will tell you." in shown
    assert "Messages to the people coming" in organiser_client.get(f"/events/{event.public_id}").get_data(as_text=True)
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.subject_type == "event_messages", AuditEntry.subject_id == message.id)).scalar_one()
    assert audit.actor_id == organiser_client.organiser.id and audit.detail.startswith("Message to young people on the waiting list: 1 emailed")


def test_a_message_of_another_event_is_not_found(organiser_client):
    event, organiser = _world()
    _send(organiser_client, event)
    message = db.session.execute(select(EventMessage)).scalar_one()
    other, _ = _make_event(organiser=organiser)
    assert organiser_client.get(f"/events/{other.public_id}/messages/{message.public_id}").status_code == 404
    assert organiser_client.get(f"/events/{event.public_id}/messages/{event.public_id}").status_code == 404


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "error"), [
    ({"subject": ""}, "Enter a subject"),
    ({"text": "   "}, "Enter the message"),
    ({"group": ""}, "Choose who the message is for"),
    ({"subject": "x" * 79}, "The subject must be 78 characters or fewer"),
    ({"text": "x" * 3001}, "The message must be 3,000 characters or fewer"),
    ({"text": "Hello <b>there</b>"}, "Write plain text only"),
    ({"subject": "Care leavers evening"}, "The subject must not say “care”"),
    ({"subject": "Line one\nline two"}, "The subject must be one line"),
])
def test_bad_input_is_told_beside_the_field_and_kept(organiser_client, fields, error):
    event, _ = _world()
    data = {**_data(event), **fields}
    response = post_form(organiser_client, f"/events/{event.public_id}/messages/new", data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and error in page
    assert "govuk-error-message" in page and "There is a problem" in page
    for name in ("subject", "text"):
        if data[name].strip() and name not in fields:
            assert data[name].split("\n")[0] in page
    assert _recipients() == set()


def test_a_group_from_another_event_is_refused(organiser_client):
    event, organiser = _world()
    other, _ = _make_event(organiser=organiser)
    foreign = f"audience-{audiences(other)[0].public_id}"
    response = post_form(organiser_client, f"/events/{event.public_id}/messages/new", {**_data(event), "group": foreign})
    assert response.status_code == 400
    response = post_form(organiser_client, f"/events/{event.public_id}/messages/send", {**_data(event), "group": foreign, "send": "yes"},
                         get_path=f"/events/{event.public_id}/messages/new")
    assert response.status_code == 400 and _recipients() == set()


def test_change_from_the_preview_keeps_what_was_typed_and_sends_nothing(organiser_client):
    event, _ = _world()
    data = _data(event, subject="Keep this subject", text="Keep these words")
    response = post_form(organiser_client, f"/events/{event.public_id}/messages/send", {**data, "change": "yes"},
                         get_path=f"/events/{event.public_id}/messages/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Write a message" in page and "Keep this subject" in page and "Keep these words" in page
    assert _recipients() == set() and db.session.execute(select(func.count()).select_from(EventMessage)).scalar_one() == 0


def test_the_preview_shows_exactly_what_is_sent_and_sends_nothing(organiser_client):
    event, _ = _world()
    page = html.unescape(_preview(organiser_client, event, subject="Parking", text="Park at the back.").get_data(as_text=True))
    assert "Check the message before it goes" in page and "Hello [their name]," in page and "Park at the back." in page
    assert "[their personal link]" in page and "Send the message to 2 people" in page
    assert _recipients() == set()


def test_sending_without_csrf_is_refused(organiser_client):
    event, _ = _world()
    response = organiser_client.post(f"/events/{event.public_id}/messages/send", data={**_data(event), "send": "yes"})
    assert response.status_code == 400 and _recipients() == set()


# --- a big batch ----------------------------------------------------------------------------------


def test_a_batch_of_500_is_queued_with_a_progress_count(organiser_client):
    event, _ = _make_event(professionals=None)
    professionals = audiences(event)[0]
    db.session.add_all([Registration(event_id=event.id, audience_id=professionals.id, name=f"Person {n}", email=f"many{n}@example.org",
                                     email_key=f"many{n}@example.org") for n in range(500)])
    db.session.commit()
    preview = _preview(organiser_client, event, group="audience:professionals").get_data(as_text=True)
    assert "Send the message to 500 people" in preview
    assert _send(organiser_client, event, group="audience:professionals").status_code == 302
    message = db.session.execute(select(EventMessage)).scalar_one()
    assert message.emailed == 500
    progress = {p.batch.id: p.counts for p in mail_queries.batch_progress()}
    assert progress[message.batch_id].total == 500 and progress[message.batch_id].queued == 500
    emails = organiser_client.get("/emails/progress.json").get_json()
    assert any(counts["total"] == 500 for counts in emails["batches"].values())


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.NOMINATOR, Role.CHAMPION, Role.JUDGE, Role.BOARD, Role.DOOR_HELPER])
def test_other_roles_cannot_see_write_or_send_messages(client, role):
    event, _ = _world()
    sign_in(client, make_user(role, totp=role in (Role.JUDGE, Role.BOARD)))
    for path in ("messages", "messages/new"):
        assert client.get(f"/events/{event.public_id}/{path}").status_code == 403
    for path in ("messages/new", "messages/send"):
        assert client.post(f"/events/{event.public_id}/{path}", data={**_data(event), "send": "yes"}).status_code in (400, 403)
    assert _recipients() == set()


def test_signed_out_people_are_sent_to_sign_in(client):
    event, _ = _world()
    response = client.get(f"/events/{event.public_id}/messages")
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


def test_texts_are_plain_in_both_parts(organiser_client, smtp_sink):
    event, _ = _world()
    _send(organiser_client, event, group="door_helpers", subject="Arrive early", text="Please arrive at five.\n\nThank you.")
    item = smtp_sink.wait_for("door@example.org")[0]
    text_part = smtp_sink.text(item)
    assert re.search(r"Please arrive at five\.\r?\n\r?\nThank you\.\r?\n\r?\nYou can sign in", text_part)
    assert "<p>Please arrive at five.</p>" in smtp_sink.html(item).replace("\r\n", "\n")


def test_pressing_send_twice_sends_once(organiser_client):
    event, _ = _world()
    assert _send(organiser_client, event, group="waiting").status_code == 302
    again = _send(organiser_client, event, group="waiting")
    message = db.session.execute(select(EventMessage)).scalar_one()
    assert again.headers["Location"] == f"/events/{event.public_id}/messages/{message.public_id}"
    assert db.session.execute(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.template.like("notices/message_%"))).scalar_one() == 1
    # A different message to the same group does go.
    assert _send(organiser_client, event, group="waiting", subject="Another thing").status_code == 302
    assert db.session.execute(select(func.count()).select_from(EventMessage)).scalar_one() == 2
