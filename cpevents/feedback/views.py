"""Organisers close an event after it, see what young people said, and print feedback letters."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm
from cpevents.core.qr import qr_svg
from cpevents.core.security import private_link_headers
from cpevents.core.time import utcnow
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback import queries, services
from cpevents.feedback.models import STATEMENTS, Scale

bp = Blueprint("feedback", __name__)


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


@bp.route("/events/<uuid:public_id>/close", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def close(public_id):
    event = _event(public_id)
    started = utcnow() >= event.starts_at
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            closed = services.close_event(event, by=current_user)
        except services.CloseError as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("feedback.close", public_id=event.public_id))
        db.session.commit()
        if closed.already:
            flash("This event is already closed. Nothing has changed.")
        else:
            words = f"{event.name} is closed. {closed.emailed} feedback link{'s' if closed.emailed != 1 else ''} queued to send by email."
            if closed.letters:
                words += f" {closed.letters} young {'person needs' if closed.letters == 1 else 'people need'} a printed letter."
            flash(words, "success")
        return redirect(url_for("feedback.show", public_id=event.public_id))
    recipients = queries.feedback_recipients(event) if started and not event.is_closed else []
    by_email = sum(1 for i in recipients if i.young_person.email)
    return render_template("feedback/close.html", event=event, form=ConfirmForm(formdata=None), started=started, by_email=by_email,
                           by_letter=len(recipients) - by_email)


@bp.get("/events/<uuid:public_id>/feedback")
@roles_required(Role.ORGANISER)
def show(public_id):
    event = _event(public_id)
    return render_template("feedback/show.html", event=event, summary=queries.event_summary(event), free_text=queries.free_text(event),
                           scale=list(Scale), statements=STATEMENTS, small=queries.SMALL,
                           letters_waiting=len(queries.for_letters(event)) if event.is_closed else 0)


@bp.route("/events/<uuid:public_id>/feedback/letters", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def letters(public_id):
    """As for invitation letters: each letter's link is made by the POST and shown only in its answer."""
    event = _event(public_id)
    waiting = queries.for_letters(event) if event.is_closed else []
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit() and waiting:
        made = services.letter_links(waiting, by=current_user)
        pages = [(invitation, url, qr_svg(url, "QR code for your feedback link")) for invitation, url in made]
        html = render_template("feedback/letters.html", event=event, letters=pages)
        db.session.commit()
        return private_link_headers(make_response(html))
    return render_template("feedback/letters_start.html", event=event, waiting=waiting, form=ConfirmForm(formdata=None))
