"""Organisers' email page: what was sent, what is waiting, what failed, and each message as sent,
with personal links shown as "[personal link removed]" (they are never stored in clear)."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm
from cpevents.core.paging import clamp_page, page_count, requested_page
from cpevents.extensions import db
from cpevents.mail import queries, services
from cpevents.mail.models import MessageStatus, OutboxMessage

bp = Blueprint("emails", __name__, url_prefix="/emails")


def _message(public_id) -> OutboxMessage:
    return load_or_404(OutboxMessage, public_id=str(public_id))


@bp.get("")
@roles_required(Role.ORGANISER)
def index():
    status = request.args.get("status", "")
    if status not in {"", *(s.value for s in MessageStatus)}:
        status = ""
    page = requested_page()
    by_status = queries.status_counts()
    messages, total = queries.recent_messages(status, page, by_status=by_status)
    return render_template(
        "emails/index.html",
        counts=queries.overall_counts(by_status),
        batches=queries.batch_progress(),
        messages=messages,
        total=total,
        status=status,
        page=clamp_page(page, total, queries.PAGE_SIZE),
        pages=page_count(total, queries.PAGE_SIZE),
        statuses=list(MessageStatus),
    )


@bp.get("/progress.json")
@roles_required(Role.ORGANISER)
def progress():
    """Polled by static/js/email-progress.js while a batch is sending."""
    return jsonify(
        overall=queries.overall_counts().as_dict(),
        batches={b.batch.public_id: b.counts.as_dict() for b in queries.batch_progress()},
    )


@bp.get("/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    return render_template("emails/show.html", message=_message(public_id), form=ConfirmForm(), links_removed=services.LINKS_REMOVED)


@bp.post("/<uuid:public_id>/retry")
@roles_required(Role.ORGANISER)
def retry(public_id):
    message = _message(public_id)
    if ConfirmForm().validate_on_submit():
        if message.links_removed:
            flash(services.LINKS_REMOVED)
        elif message.can_retry():
            services.retry_message(message)
            db.session.commit()
            flash("The email will be sent again in the next few seconds.", "success")
    return redirect(url_for("emails.show", public_id=message.public_id))


@bp.post("/<uuid:public_id>/cancel")
@roles_required(Role.ORGANISER)
def cancel(public_id):
    message = _message(public_id)
    if ConfirmForm().validate_on_submit() and message.can_cancel():
        services.cancel_message(message)
        db.session.commit()
        flash("The email has been cancelled. It will not be sent.", "success")
    return redirect(url_for("emails.show", public_id=message.public_id))
