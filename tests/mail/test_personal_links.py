"""Personal links (password reset, set password, confirm email, a young person's invitation,
feedback, registration cancel, champion confirm) reach only the person they are for.

Organisers can read every email on the Email page, and anyone with the database can read the
outbox: neither may ever hold a working personal link, or an organiser could ask for a reset for
anyone, open it and sign in as them. The worker still sends the real link; afterwards the stored
message says the link was removed.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select, text, update

from cpevents.accounts.services import invite_user, send_verification
from cpevents.champions.models import ChampionService, PledgeKind
from cpevents.champions.services import apply_as_guest
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.extensions import db
from cpevents.feedback.services import close_event
from cpevents.invitations.services import send_invitations
from cpevents.mail.models import MAX_ATTEMPTS, MessageStatus, OutboxMessage
from cpevents.mail.personal_links import LINK_REMOVED, UnsealedLinkError
from cpevents.mail.services import queue_email
from cpevents.registrations.services import register
from tests.factories import csrf_from, make_user, post_form, sign_in
from tests.feedback.helpers import past_event
from tests.invitations.helpers import invited
from tests.invitations.helpers import make_event as make_invitation_event
from tests.registrations.helpers import audiences, details
from tests.registrations.helpers import make_event as make_registration_event
from tests.support import SmtpSink, run_outbox

PERSONAL = re.compile(r"https?://[^\s\"'<>]+?(/(?:i|f|verify-email|reset-password|set-password|registrations/cancel|champions/confirm)/([A-Za-z0-9_\-]+))")


# --- each kind of email that carries a personal link ------------------------------------------------


def _reset(app, client):
    user = make_user(Role.NOMINATOR)
    post_form(client, "/forgot-password", {"email": user.email})
    return user.email, "accounts/reset_password", 200


def _verify(app, client):
    user = make_user(Role.NOMINATOR, verified=False)
    with app.test_request_context():
        send_verification(user)
        db.session.commit()
    return user.email, "accounts/verify_email", 200


def _set_password(app, client):
    organiser = make_user(Role.ORGANISER)
    with app.test_request_context():
        user = invite_user(name="Jude Judge", email="jude.judge@example.org", roles={Role.JUDGE}, by=organiser)
        db.session.commit()
    return user.email, "accounts/invitation", 200


def _invitation(app, client):
    event, organiser = make_invitation_event()
    invitation = invited(event, organiser)
    with app.test_request_context():
        send_invitations(event, by=organiser)
        db.session.commit()
    return invitation.young_person.email, "invitations/invitation", 302


def _feedback(app, client):
    event, organiser, replied, _ = past_event(replied=1, unreplied=0)
    with app.test_request_context():
        close_event(event, by=organiser)
        db.session.commit()
    return replied[0].young_person.email, "feedback/feedback", 302


def _cancel(app, client):
    event, _ = make_registration_event()
    with app.test_request_context():
        registration = register(event, audiences(event)[0], details()).registration
        db.session.commit()
    return registration.email, "registrations/registered", 200


def _champion(app, client):
    service = db.session.execute(select(ChampionService).where(ChampionService.name == "Libraries")).scalar_one()
    with app.test_request_context():
        apply_as_guest(name="Lee Librarian", email="lee.librarian@example.org", job_title="Library manager", service=service,
                       pledges=[PledgeKind.WORK_EXPERIENCE], pledge_words="Two work experience places a year.")
        db.session.commit()
    return "lee.librarian@example.org", "champions/confirm_email", 200


FLOWS = {
    "reset": _reset, "verify": _verify, "set_password": _set_password, "invitation": _invitation,
    "feedback": _feedback, "cancel": _cancel, "champion_confirm": _champion,
}


# --- helpers -----------------------------------------------------------------------------------------------


def _message(address: str, template: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.execute(select(OutboxMessage).where(OutboxMessage.to_address == address, OutboxMessage.template == template)).scalar_one()


def _raw_row(message: OutboxMessage) -> str:
    """Every column of the message's row as the database holds it (no ORM in between)."""
    row = db.session.execute(text("SELECT * FROM outbox_messages WHERE id = :id"), {"id": message.id}).mappings().one()
    return "\n".join(f"{key}={value}" for key, value in row.items())


def _organiser(app):
    organiser = make_user(Role.ORGANISER, totp=True)
    staff = app.test_client()
    sign_in(staff, organiser)
    return staff


def _everything_organisers_see(staff, message: OutboxMessage) -> str:
    pages = [f"/emails/{message.public_id}", "/emails", f"/emails?status={message.status.value}", "/emails/progress.json"]
    out = []
    for path in pages:
        response = staff.get(path)
        assert response.status_code == 200, path
        out.append(response.get_data(as_text=True))
    return "\n".join(out)


def _received_link(smtp_sink, address: str, template_count: int = 1) -> tuple[str, str]:
    """The personal link's path and token, as the recipient received it (both parts)."""
    item = smtp_sink.wait_for(address, template_count)[-1]
    found = PERSONAL.search(smtp_sink.text(item))
    assert found, smtp_sink.text(item)
    path, token = found.group(1), found.group(2)
    assert token in smtp_sink.html(item)
    return path, token


# --- the Email page and the database never hold the link ------------------------------------------------


@pytest.mark.parametrize("flow", FLOWS)
def test_organisers_never_see_a_personal_link_queued_or_sent(app, client, smtp_sink, flow):
    address, template, _ = FLOWS[flow](app, client)
    staff = _organiser(app)
    message = _message(address, template)
    assert message.status == MessageStatus.QUEUED
    while_queued = _everything_organisers_see(staff, message)

    path, token = _received_link(smtp_sink, address)
    message = _message(address, template)
    assert message.status == MessageStatus.SENT
    once_sent = _everything_organisers_see(staff, message)
    for seen in (while_queued, once_sent):
        assert token not in seen and path not in seen
        assert LINK_REMOVED in seen


@pytest.mark.parametrize("flow", FLOWS)
def test_the_outbox_never_holds_a_personal_link_in_clear(app, client, smtp_sink, flow):
    address, template, _ = FLOWS[flow](app, client)
    message = _message(address, template)
    while_queued = _raw_row(message)
    assert message.sealed_links  # kept, encrypted, for the worker

    path, token = _received_link(smtp_sink, address)
    message = _message(address, template)
    once_sent = _raw_row(message)
    for row in (while_queued, once_sent):
        assert token not in row and path not in row
    assert message.sealed_links is None  # nothing left to decrypt, with any key
    assert message.has_personal_links
    assert LINK_REMOVED in message.text_body and LINK_REMOVED in message.html_body


@pytest.mark.parametrize("flow", FLOWS)
def test_the_recipient_gets_a_link_that_works(app, client, smtp_sink, flow):
    address, template, expected = FLOWS[flow](app, client)
    path, token = _received_link(smtp_sink, address)
    assert len(token) >= 43  # the whole 256-bit token, not a placeholder
    visitor = app.test_client()
    assert visitor.get(path).status_code == expected


# --- retry, cancel, refused addresses -----------------------------------------------------------------------


def _make_due():
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def _fail_for_good(app, monkeypatch):
    """The mail server is down for all ten tries."""
    down = SmtpSink()  # never started
    with monkeypatch.context() as patched:
        patched.setattr(app.extensions["mail"], "port", down.port)
        for _ in range(MAX_ATTEMPTS):
            run_outbox(app)
            _make_due()


def test_retrying_a_failed_email_still_sends_a_working_link(app, client, smtp_sink, monkeypatch):
    address, template, expected = _reset(app, client)
    _fail_for_good(app, monkeypatch)
    message = _message(address, template)
    assert message.status == MessageStatus.FAILED and message.sealed_links  # kept so it can be retried
    staff = _organiser(app)
    page = staff.get(f"/emails/{message.public_id}").get_data(as_text=True)
    assert "Try sending again" in page
    staff.post(f"/emails/{message.public_id}/retry", data={"csrf_token": csrf_from(page)})
    path, token = _received_link(smtp_sink, address)
    assert app.test_client().get(path).status_code == expected
    message = _message(address, template)
    assert message.status == MessageStatus.SENT and message.sealed_links is None and token not in _raw_row(message)


def test_a_cancelled_email_loses_its_link_and_is_not_sent_again_with_a_broken_one(app, client, smtp_sink):
    address, template, _ = _reset(app, client)
    message = _message(address, template)
    staff = _organiser(app)
    page = staff.get(f"/emails/{message.public_id}").get_data(as_text=True)
    staff.post(f"/emails/{message.public_id}/cancel", data={"csrf_token": csrf_from(page)})
    message = _message(address, template)
    assert message.status == MessageStatus.CANCELLED and message.sealed_links is None
    assert LINK_REMOVED in message.text_body

    page = staff.get(f"/emails/{message.public_id}").get_data(as_text=True)
    assert "Try sending again" not in page
    assert "personal link, which has been removed" in page
    response = staff.post(f"/emails/{message.public_id}/retry", data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "send them a new link instead" in response.get_data(as_text=True)
    assert _message(address, template).status == MessageStatus.CANCELLED
    smtp_sink.deliver()
    assert smtp_sink.to(address) == []


def test_an_address_that_is_refused_loses_its_link(app, client, smtp_sink):
    user = make_user(Role.NOMINATOR, email="bounce-reset@example.org")
    post_form(client, "/forgot-password", {"email": user.email})
    smtp_sink.deliver()
    message = _message(user.email, "accounts/reset_password")
    assert message.status == MessageStatus.FAILED and message.undeliverable
    assert message.sealed_links is None and not message.can_retry()


def test_a_failed_email_forgets_its_link_after_a_week(app, client, smtp_sink, monkeypatch):
    address, template, _ = _reset(app, client)
    _fail_for_good(app, monkeypatch)
    db.session.execute(update(OutboxMessage).values(claimed_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    run_outbox(app)
    message = _message(address, template)
    assert message.status == MessageStatus.FAILED and message.sealed_links is None and not message.can_retry()


def test_a_link_sealed_with_another_key_fails_plainly_and_is_not_sent_broken(app, client, smtp_sink, monkeypatch):
    address, template, _ = _reset(app, client)
    monkeypatch.setitem(app.config, "SECRET_KEY", "a different key after a change")
    assert run_outbox(app)["failed"] == 1
    message = _message(address, template)
    assert message.status == MessageStatus.FAILED and message.sealed_links is None
    assert "could not be read" in message.last_error
    assert smtp_sink.to(address) == []


def test_a_separate_outbox_key_is_used_when_set(app, client, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_KEY", "an outbox key of its own, not the secret key")
    address, template, _ = _reset(app, client)
    assert _message(address, template).sealed_links
    monkeypatch.setitem(app.config, "SECRET_KEY", "the secret key changed, the outbox key did not")
    path, _ = _received_link(smtp_sink, address)
    assert app.test_client().get(path).status_code == 200


# --- one mechanism, and nothing gets round it ----------------------------------------------------------------


def test_a_personal_link_not_passed_as_a_secret_is_refused(app):
    with app.test_request_context():
        link = absolute_url("accounts.reset_password", token="x" * 43)
        with pytest.raises(UnsealedLinkError):
            queue_email("accounts/reset_password", to="a@example.org", subject="Reset your password", name="A", link=link, minutes=60)
        message = queue_email("accounts/reset_password", to="a@example.org", subject="Reset your password", name="A", minutes=60, secrets={"link": link})
        assert link not in message.text_body and link not in message.html_body


def test_a_placeholder_typed_by_someone_is_left_as_typed(app, smtp_sink):
    """Placeholders carry a random part, so text someone typed (a name) is never filled with a link."""
    with app.test_request_context():
        link = absolute_url("accounts.reset_password", token="y" * 43)
        first = queue_email("accounts/reset_password", to="b@example.org", subject="Reset your password", name="B", minutes=60, secrets={"link": link})
        db.session.flush()
        placeholder = re.search(r"\[\[[^\]]+\]\]", first.text_body).group(0)
        queue_email("accounts/reset_password", to="c@example.org", subject="Reset your password", name=placeholder, minutes=60,
                    secrets={"link": absolute_url("accounts.reset_password", token="z" * 43)})
        db.session.commit()
    received = smtp_sink.text(smtp_sink.wait_for("c@example.org")[0])
    assert f"Hello {placeholder}," in received and "z" * 43 in received and "y" * 43 not in received


def test_an_old_message_with_a_link_in_its_body_is_shown_without_it(app, smtp_sink):
    """Rows written before links were sealed: the page hides the link, and once sent it is removed."""
    base = current_app.config["BASE_URL"]
    legacy = OutboxMessage(template="accounts/reset_password", to_address="old@example.org", subject="Reset your password",
                           text_body=f"Use this link:\n\n{base}/reset-password/LegacyToken0123456789\n",
                           html_body=f'<p><a href="{base}/reset-password/LegacyToken0123456789">Choose a new password</a></p>')
    db.session.add(legacy)
    db.session.commit()
    staff = _organiser(app)
    page = staff.get(f"/emails/{legacy.public_id}").get_data(as_text=True)
    assert "LegacyToken0123456789" not in page and LINK_REMOVED in page
    assert "LegacyToken0123456789" in smtp_sink.text(smtp_sink.wait_for("old@example.org")[0])
    message = _message("old@example.org", "accounts/reset_password")
    assert "LegacyToken0123456789" not in _raw_row(message)
    assert message.has_personal_links and not message.can_retry()


def _migration():
    path = Path(__file__).resolve().parents[2] / "cpevents" / "migrations" / "versions" / "0018_outbox_secrets.py"
    spec = importlib.util.spec_from_file_location("migration_0018", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_removes_links_from_messages_already_sent(app):
    base = "https://events.example.gov.uk"
    bodies = {
        "sent": (f"Reset: {base}/reset-password/AbC_123-xyz and feedback {base}/f/Feedback_Token-9",
                 f'<a href="{base}/i/Invite_Token-1">Reply</a> <a href="{base}/registrations/cancel/Cancel_Token-2">cancel</a>'),
        "queued": (f"{base}/set-password/Queued_Token-3", f'<a href="{base}/set-password/Queued_Token-3">x</a>'),
        "plain": (f"Sign in: {base}/sign-in and see {base}/events/3f1e0c1e-0000-0000-0000-000000000000/calendar.ics", "<p>Hello</p>"),
    }
    rows = {}
    for name, (text_body, html_body) in bodies.items():
        rows[name] = OutboxMessage(template="x", to_address=f"{name}@example.org", subject="s", text_body=text_body, html_body=html_body,
                                   status=MessageStatus.QUEUED if name == "queued" else MessageStatus.SENT)
        db.session.add(rows[name])
    db.session.flush()
    _migration().remove_links_from_sent_messages(db.session.connection())
    db.session.expire_all()
    sent, queued, plain = (db.session.get(OutboxMessage, rows[n].id) for n in ("sent", "queued", "plain"))
    for token in ("AbC_123-xyz", "Feedback_Token-9", "Invite_Token-1", "Cancel_Token-2"):
        assert token not in sent.text_body + sent.html_body
    assert sent.text_body.count(LINK_REMOVED) == 2 and sent.has_personal_links
    assert queued.text_body == bodies["queued"][0] and not queued.has_personal_links  # the worker still sends it
    assert plain.text_body == bodies["plain"][0] and not plain.has_personal_links
