"""Sending email.

Services call queue_email() inside their transaction; the messages go out over SMTP
(Flask-Mail) only after that transaction commits, and are dropped if it rolls back.
The durable outbox (a database table with retries) will replace the in-memory list
behind queue_email() without changing any caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session

from cpevents.extensions import db, mail

log = logging.getLogger(__name__)
PENDING = "cpevents_pending_emails"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


def render_email(template: str, subject: str, to: str, **context) -> Email:
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    context.setdefault("base_url", current_app.config["BASE_URL"])
    context.setdefault("support_email", current_app.config["SUPPORT_EMAIL"])
    text = render_template(f"emails/{template}.txt", subject=subject, **context)
    html = render_template(f"emails/{template}.html", subject=subject, **context)
    return Email(to=to, subject=subject, text=text, html=html)


def queue_email(template: str, *, to: str, subject: str, **context) -> Email:
    """Render now, send after the surrounding transaction commits."""
    message = render_email(template, subject, to, **context)
    db.session.info.setdefault(PENDING, []).append(message)
    return message


def deliver(message: Email) -> None:
    mail.send(
        Message(
            subject=message.subject,
            recipients=[message.to],
            body=message.text,
            html=message.html,
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
        )
    )


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    messages = session.info.pop(PENDING, [])
    for message in messages:
        try:
            deliver(message)
        except Exception:  # noqa: BLE001 - a mail server failure must not fail the request
            log.exception("email could not be sent (template subject=%r)", message.subject)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
