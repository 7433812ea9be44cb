"""Email through the outbox.

Services call queue_email() inside their transaction: the message is rendered and written to
the outbox table, so it is committed together with the change that caused it, or not at all.
The worker (`flask outbox work`) sends it over SMTP with Flask-Mail after commit, retrying with
growing back-off; after 10 failures the message is marked failed for organisers to retry or
cancel. Several workers may run at once on PostgreSQL: rows are claimed with
FOR UPDATE SKIP LOCKED, so no message is claimed twice.

Personal links (reset, invitation, feedback, cancel ...) go in `secrets=`, never in the context:
they are sealed, not stored in the bodies, and filled in only in what is sent (personal_links.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import smtplib
import uuid
from datetime import timedelta

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import func, select, update

from cpevents.core.letters import LetterText, letter_pdf
from cpevents.core.models import rows_changed
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.extensions import mail as mailer
from cpevents.mail import personal_links
from cpevents.mail.models import MAX_ATTEMPTS, Channel, EmailBatch, MessageStatus, OutboxMessage
from cpevents.mail.signals import address_refused

log = logging.getLogger(__name__)

CLAIM_SIZE = 50
STALE_CLAIM = timedelta(minutes=10)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
# A failed message keeps its sealed links this long after its last try, so organisers can retry it.
FAILED_KEEPS_LINKS = timedelta(days=7)

LINKS_REMOVED = "This email carried a personal link, which has been removed, so it cannot be sent again: send them a new link instead."
LINKS_UNREADABLE = "The personal link in this email could not be read (the key was changed), so it was not sent. Send them a new link instead."


def queue_text(template: str, **kwargs) -> OutboxMessage | None:
    """A text message through GOV.UK Notify, queued like an email (cpevents/mail/texts.py);
    None when texts are not set up. For the change-notice sender and every other caller."""
    from cpevents.mail import texts

    return texts.queue_text(template, **kwargs)


def queue_email(template: str, *, to: str, subject: str, batch: EmailBatch | None = None, user=None,
                secrets: dict[str, str] | None = None, attach_calendar: bytes | None = None, letter: tuple[str, LetterText] | None = None,
                **context) -> OutboxMessage:
    """Render both parts now (so a template change never alters a queued message) and add it to the
    outbox. Each personal link goes in `secrets` under the name the template uses (`link`,
    `cancel_link`): the template gets a placeholder, and the link is sealed, never stored in clear.
    `attach_calendar`: an .ics file sent with it as event.ics (kept only until it is sent).

    `letter` (filename, LetterText) attaches a letter as a PDF, made when the message is sent. Its
    `link` names one of the secrets (`"link"`), never a URL: the PDF gets the link, the outbox never."""
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    context.setdefault("base_url", current_app.config["BASE_URL"])
    context.setdefault("support_email", current_app.config["SUPPORT_EMAIL"])
    if clash := set(secrets or ()) & set(context):
        raise TypeError(f"{', '.join(sorted(clash))} given both as a secret and in the context")
    in_template, filled = personal_links.placeholders(secrets or {})
    html_body = render_template(f"emails/{template}.html", subject=subject, **context, **in_template)
    personal_links.refuse_unsealed(html_body, template)
    letter_json = None
    if letter is not None:
        filename, text = letter
        if text.link and text.link not in in_template:
            raise TypeError("a letter's link must name one of the secrets")
        words = text.as_dict()
        words["link"] = in_template[text.link] if text.link else ""
        letter_json = json.dumps(words)
    message = OutboxMessage(
        public_id=str(uuid.uuid4()),
        template=template,
        to_address=to,
        subject=subject,
        text_body=render_template(f"emails/{template}.txt", subject=subject, **context, **in_template),
        html_body=html_body,
        has_personal_links=bool(filled),
        sealed_links=personal_links.seal(filled) if filled else None,
        calendar=attach_calendar.decode() if attach_calendar else None,
        letter=letter_json,
        letter_filename=letter[0] if letter else None,
        batch=batch,
        user_id=getattr(user, "id", None),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def forget_links(message: OutboxMessage) -> None:
    """Drop the sealed links; the stored bodies say "[personal link removed]" where they were
    (also for messages written before links were sealed, which had them in the bodies)."""
    text, html = personal_links.remove(message.text_body), personal_links.remove(message.html_body)
    if message.sealed_links is not None or text != message.text_body or html != message.html_body:
        message.has_personal_links = True
    message.text_body, message.html_body, message.sealed_links = text, html, None
    message.letter = None  # the letter's words go with its link: nothing of it stays once sent


def start_batch(name: str, by=None) -> EmailBatch:
    batch = EmailBatch(name=name, created_by_id=getattr(by, "id", None))
    db.session.add(batch)
    db.session.flush()
    return batch


def retry_message(message: OutboxMessage) -> None:
    if message.can_retry():
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = utcnow()
        message.undeliverable = False
        message.last_error = None


def cancel_message(message: OutboxMessage) -> None:
    if message.can_cancel():
        message.status = MessageStatus.CANCELLED
        forget_links(message)


# --- the worker ---------------------------------------------------------------------------------


def release_stale_claims() -> int:
    """A worker that died mid-send leaves rows in 'sending'; give them back after 10 minutes."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_at < utcnow() - STALE_CLAIM)
        .values(status=MessageStatus.QUEUED)
    )
    db.session.commit()
    return rows_changed(result)


def forget_old_links(now=None) -> int:
    """Failed messages keep their sealed links for FAILED_KEEPS_LINKS after their last try, then
    lose them. Each row is changed only while it is still failed, so an organiser's retry at the
    same moment wins and is sent with its link."""
    cutoff = (now or utcnow()) - FAILED_KEEPS_LINKS
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.text_body, OutboxMessage.html_body).where(
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.sealed_links.is_not(None),
            func.coalesce(OutboxMessage.claimed_at, OutboxMessage.created_at) < cutoff,
        )
    ).all()
    for message_id, text_body, html_body in rows:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.FAILED)
            .values(text_body=personal_links.remove(text_body), html_body=personal_links.remove(html_body), sealed_links=None, has_personal_links=True,
                    letter=None)
        )
    db.session.commit()
    return len(rows)


def claim_due(limit: int = CLAIM_SIZE) -> list[int]:
    now = utcnow()
    stmt = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(db.session.execute(stmt).scalars())
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == MessageStatus.QUEUED)
            .values(status=MessageStatus.SENDING, claimed_at=now)
        )
    db.session.commit()
    return ids


def _retry_later(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = _describe(error)
    if message.attempts >= MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        return
    delay = min(FIRST_RETRY * (2 ** (message.attempts - 1)), LONGEST_RETRY)
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = utcnow() + delay


def _describe(error: Exception) -> str:
    """A short reason for organisers. SMTP replies can echo the address, so keep the code only."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "The receiving mail server refused this address"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered with error {error.smtp_code}"
    if isinstance(error, (ConnectionError, smtplib.SMTPServerDisconnected, TimeoutError, OSError)):
        return "Could not reach the mail server"
    return f"Sending failed ({type(error).__name__})"


def _as_flask_mail(message: OutboxMessage) -> Message:
    """The message as the recipient gets it: the only place personal links are filled in."""
    if message.links_removed:
        raise personal_links.UnreadableLinks()  # never send a placeholder where a link should be
    filled = personal_links.unseal(message.sealed_links) if message.sealed_links else {}
    email = Message(
        subject=message.subject,
        recipients=[message.to_address],
        body=personal_links.fill(message.text_body, filled, html=False),
        html=personal_links.fill(message.html_body, filled, html=True),
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"X-Cpevents-Message": message.public_id},
    )
    if message.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in message.calendar else "PUBLISH"
        email.attach("event.ics", f"text/calendar; method={method}", message.calendar.encode())
    if message.letter:
        words = json.loads(message.letter)
        if words.get("link"):
            if words["link"] not in filled:
                raise personal_links.UnreadableLinks()  # never a letter without its link
            words["link"] = filled[words["link"]]
        pdf = letter_pdf(LetterText.from_dict(words), service_name=current_app.config["SERVICE_NAME"],
                         council_name=current_app.config.get("COUNCIL_NAME", ""))
        email.attach(message.letter_filename or "letter.pdf", "application/pdf", pdf)
    return email


def send_claimed(ids: list[int]) -> dict[str, int]:
    """Send claimed messages over one SMTP connection; each outcome is committed on its own,
    so a crash never causes a sent message to be sent again by the next worker."""
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    messages = db.session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)).scalars().all()
    texts = [m for m in messages if m.channel == Channel.TEXT]
    if texts:
        from cpevents.mail.texts import send_texts  # texts use this module's retries

        send_texts(texts, outcome)
        messages = [m for m in messages if m.channel != Channel.TEXT]
        if not messages:
            return outcome
    try:
        connection = mailer.connect()
        connection.__enter__()
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            _retry_later(message, error)
            outcome["failed" if message.status == MessageStatus.FAILED else "retry"] += 1
        db.session.commit()
        return outcome
    try:
        broken: Exception | None = None
        for message in messages:
            if broken is not None:
                _retry_later(message, broken)
                outcome["retry"] += 1
                continue
            try:
                email = _as_flask_mail(message)
            except personal_links.UnreadableLinks:
                message.attempts += 1
                message.status = MessageStatus.FAILED
                message.last_error = LINKS_UNREADABLE if message.sealed_links else LINKS_REMOVED
                forget_links(message)
                outcome["failed"] += 1
                db.session.commit()
                continue
            try:
                connection.send(email)
            except smtplib.SMTPRecipientsRefused as error:
                message.attempts += 1
                message.status = MessageStatus.FAILED
                message.undeliverable = True
                message.last_error = _describe(error)
                forget_links(message)  # a refused address will not take it later either
                _report_undeliverable(message)
                outcome["failed"] += 1
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    message.attempts += 1
                    message.status = MessageStatus.FAILED
                    message.last_error = _describe(error)
                    outcome["failed"] += 1
                else:
                    _retry_later(message, error)
                    outcome["retry"] += 1
            except (OSError, smtplib.SMTPException) as error:
                broken = error  # the connection is gone: put this and the rest back
                _retry_later(message, error)
                outcome["retry"] += 1
            else:
                message.status = MessageStatus.SENT
                message.attempts += 1
                message.sent_at = utcnow()
                message.last_error = None
                message.calendar = None  # sent: the calendar file is not kept
                forget_links(message)
                outcome["sent"] += 1
            db.session.commit()
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.__exit__(None, None, None)  # type: ignore[arg-type]  # Flask-Mail types its exit arguments as never None
    db.session.commit()
    return outcome


def _report_undeliverable(message: OutboxMessage) -> None:
    if message.user_id is None:
        return
    address_refused.send(message)  # accounts marks the person's address (cpevents.accounts.services)


def work_once() -> dict[str, int]:
    """Send everything that is due now, then return what happened."""
    total = {"sent": 0, "retry": 0, "failed": 0}
    release_stale_claims()
    forget_old_links()
    while True:
        ids = claim_due()
        if not ids:
            return total
        for key, value in send_claimed(ids).items():
            total[key] += value
        if total["retry"] and not total["sent"]:
            return total  # the mail server is down: do not spin; the back-off decides when to try again
