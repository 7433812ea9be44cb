"""Text messages through GOV.UK Notify (issue 17), through the same outbox as email.

A text is an OutboxMessage with channel "text": the mobile number in `to_address`, the words in
`text_body` and no HTML. So texts get the same worker, the same retries and back-off, the same
batch progress counts on the Email page, and the same sealed personal links (a link goes in
`secrets=`, the body holds a placeholder, the worker fills it in only in what it hands to Notify,
then drops it).

One Notify template serves every text: its whole content is `((body))`, and the words are written
here, in cpevents/templates/texts/*.txt (short, neutral, never "care", never the venue). So the
wording is reviewed and tested with the code, and a council sets up one template, not four.

Without NOTIFY_API_KEY (or without NOTIFY_TEMPLATE_TEXT) texts are off: queue_text() queues
nothing and no page offers texts.

Notify's answers: 201 sent; 400 ValidationError on the phone number: failed at once, never
retried, and the records with that number say so (signals.number_refused); 429 and 5xx (and no
answer at all): retried like email; 403 (the key is wrong) and any other 400: failed and logged.
"""

from __future__ import annotations

import logging
import uuid

from flask import current_app, render_template
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.mail import personal_links
from cpevents.mail.models import Channel, EmailBatch, MessageStatus, OutboxMessage
from cpevents.mail.signals import number_refused

log = logging.getLogger(__name__)

SUBJECT = "Text message"
INVALID_NUMBER = "invalid number"
NOT_SET_UP = "Text messages are not set up (NOTIFY_API_KEY), so it was not sent"


def texts_enabled() -> bool:
    config = current_app.config
    return bool(config.get("NOTIFY_API_KEY") and config.get("NOTIFY_TEMPLATE_TEXT"))


def queue_text(template: str, *, to: str, batch: EmailBatch | None = None, secrets: dict[str, str] | None = None,
               **context) -> OutboxMessage | None:
    """Queue a text to a mobile number (+447...) in the caller's transaction, as queue_email does;
    None when texts are off. Only call it for someone who agreed to texts (YoungPerson.can_be_texted,
    Registration.mobile_agreed_at). Personal links go in `secrets`, as for queue_email."""
    if not texts_enabled() or not to:
        return None
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    if clash := set(secrets or ()) & set(context):
        raise TypeError(f"{', '.join(sorted(clash))} given both as a secret and in the context")
    in_template, filled = personal_links.placeholders(secrets or {})
    body = render_template(f"texts/{template}.txt", **context, **in_template).strip()
    if personal_links.remove(body) != personal_links.PLACEHOLDER.sub(personal_links.LINK_REMOVED, body):
        raise personal_links.UnsealedLinkError(f"texts/{template}.txt holds a personal link in clear: pass it to queue_text(secrets=...)")
    message = OutboxMessage(
        public_id=str(uuid.uuid4()),
        channel=Channel.TEXT,
        template=f"texts/{template}",
        to_address=to,
        subject=SUBJECT,
        text_body=body,
        html_body="",
        has_personal_links=bool(filled),
        sealed_links=personal_links.seal(filled) if filled else None,
        batch=batch,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def _client() -> NotificationsAPIClient:
    config = current_app.config
    if config.get("NOTIFY_BASE_URL"):
        return NotificationsAPIClient(config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"])
    return NotificationsAPIClient(config["NOTIFY_API_KEY"])


def _errors(error: APIError) -> list[dict]:
    message = error.message
    return [e for e in message if isinstance(e, dict)] if isinstance(message, list) else []


def _invalid_number(error: APIError) -> bool:
    return error.status_code == 400 and any(
        e.get("error") == "ValidationError" and "phone_number" in str(e.get("message", "")) for e in _errors(error)
    )


def send_texts(messages: list[OutboxMessage], outcome: dict[str, int]) -> None:
    """Send claimed texts one by one, each outcome committed on its own (as for email)."""
    from cpevents.mail.services import _retry_later, forget_links

    if not messages:
        return
    if not texts_enabled():
        for message in messages:
            message.attempts += 1
            message.status = MessageStatus.FAILED
            message.last_error = NOT_SET_UP
            outcome["failed"] += 1
        db.session.commit()
        return
    client = _client()
    template_id = current_app.config["NOTIFY_TEMPLATE_TEXT"]
    for message in messages:
        if message.links_removed:
            message.attempts += 1
            message.status = MessageStatus.FAILED
            message.last_error = "This text carried a personal link, which has been removed, so it cannot be sent again: send them a new link instead."
            outcome["failed"] += 1
            db.session.commit()
            continue
        try:
            filled = personal_links.unseal(message.sealed_links) if message.sealed_links else {}
        except personal_links.UnreadableLinks:
            message.attempts += 1
            message.status = MessageStatus.FAILED
            message.last_error = "The personal link in this text could not be read (the key was changed), so it was not sent. Send them a new link instead."
            forget_links(message)
            outcome["failed"] += 1
            db.session.commit()
            continue
        body = personal_links.fill(message.text_body, filled, html=False)
        try:
            client.send_sms_notification(phone_number=message.to_address, template_id=template_id,
                                         personalisation={"body": body}, reference=message.public_id)
        except APIError as error:
            status = error.status_code
            if _invalid_number(error):
                message.attempts += 1
                message.status = MessageStatus.FAILED
                message.undeliverable = True
                message.last_error = f"Notify refused the number: {INVALID_NUMBER}"
                forget_links(message)  # the number will not take it later either
                number_refused.send(message.to_address, reason=INVALID_NUMBER)
                outcome["failed"] += 1
            elif status == 429 or status >= 500:
                _retry_later(message, error)
                message.last_error = "Notify is busy (rate limited)" if status == 429 else f"Could not reach Notify (error {status})"
                outcome["failed" if message.status == MessageStatus.FAILED else "retry"] += 1
            else:
                # 403: the API key is wrong; another 400: the template or a trial-mode key. The
                # logged reason is Notify's, which names no number and holds no link.
                log.error("GOV.UK Notify refused text %s: %s %s", message.public_id, status, [e.get("error") for e in _errors(error)])
                message.attempts += 1
                message.status = MessageStatus.FAILED
                message.last_error = "Notify refused our key (check NOTIFY_API_KEY)" if status == 403 else f"Notify refused the text (error {status})"
                outcome["failed"] += 1
        else:
            message.status = MessageStatus.SENT
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = None
            forget_links(message)
            outcome["sent"] += 1
        db.session.commit()
