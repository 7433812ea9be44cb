"""Organisers close an event after it, see what young people said, and print feedback letters."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, answer
from cpevents.core.qr import qr_svg
from cpevents.core.security import private_link_headers
from cpevents.core.time import utcnow
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.feedback import queries, services
from cpevents.feedback.forms import FeedbackActionForm, SendActionForm
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
                           letters_waiting=len(queries.for_letters(event)) if event.is_closed else 0,
                           action=queries.feedback_action(event), happened=utcnow() >= event.starts_at)


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


# --- "You said, we did" --------------------------------------------------------------------------------


@bp.route("/events/<uuid:public_id>/feedback/you-said-we-did", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def write_action(public_id):
    """Write what changed because of the feedback (after the event), then check it and send it."""
    event = _event(public_id)
    action = queries.feedback_action(event)
    if utcnow() < event.starts_at or (action is not None and action.is_sent):
        if request.method == "POST":
            flash("This has been sent already, so it cannot be changed." if action is not None and action.is_sent
                  else "This event has not happened yet. You can write what you changed after it.")
            return redirect(url_for("feedback.write_action", public_id=event.public_id))
        return render_template("feedback/action_write.html", event=event, action=action, form=None)
    form = FeedbackActionForm(data={"text": action.text} if action is not None and request.method == "GET" else None)

    def save() -> Done:
        services.save_feedback_action(event, answer(form.text.data), by=current_user)
        return Done(url_for("feedback.check_action", public_id=event.public_id))

    return form_page(form, "feedback/action_write.html", save, fails=(services.ActionError,), error_field="text", event=event, action=action)


@bp.route("/events/<uuid:public_id>/feedback/you-said-we-did/check", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def check_action(public_id):
    """See the email as young people will get it, then send it once."""
    event = _event(public_id)
    action = queries.feedback_action(event)
    form = SendActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            sent = services.send_feedback_action(event, by=current_user)
        except services.ActionError as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("feedback.check_action", public_id=event.public_id))
        db.session.commit()
        if sent.already:
            flash("This was sent already. Nothing has been sent again.")
        else:
            flash(f"“You said, we did” sent. {sent.emailed} email{'s' if sent.emailed != 1 else ''} queued. "
                  "Young people with a feedback link also see it when they open their link.", "success")
        return redirect(url_for("feedback.show", public_id=event.public_id))
    recipients = queries.action_recipients(event) if action is not None and not action.is_sent else []
    return render_template("feedback/action_check.html", event=event, action=action, form=SendActionForm(formdata=None),
                           recipients=len(recipients), subject=services.SUBJECT_ACTION)
