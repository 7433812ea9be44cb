"""The organiser decides whether to tell the people with a place about a change to an event,
sees who it reaches and the message, and sends it as one batch (or records that they chose not to)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.events.models import Event, EventChange
from cpevents.events.services import decide_not_to_tell
from cpevents.extensions import db
from cpevents.notices import messages, services
from cpevents.notices.forms import ChangeNoticeForm, DontTellForm, MessageForm
from cpevents.notices.models import EventMessage

bp = Blueprint("notices", __name__, url_prefix="/events")
_UNSET = object()


def _load(public_id, change_id) -> tuple[Event, EventChange]:
    event = load_or_404(Event, public_id=str(public_id))
    require(event.can_manage(current_user))
    change = load_or_404(EventChange, public_id=str(change_id))
    require(change.event_id == event.id, 404)
    return event, change


def _show_url(event: Event) -> str:
    return url_for("events.show", public_id=event.public_id)


def _page(event: Event, change: EventChange, form: ChangeNoticeForm, status: int = 200):
    return render_template("notices/change.html", event=event, change=change, form=form, dont_tell=DontTellForm(formdata=None),
                           reach=services.reach(event), subject=services.subject_for(change),
                           private_message=services.private_message(change), limit=services.MESSAGE_LIMIT), status


@bp.route("/<uuid:public_id>/changes/<uuid:change_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def change_notice(public_id, change_id):
    event, change = _load(public_id, change_id)
    if change.decision is not None:
        if request.method == "POST":
            flash("This change has already been dealt with. Nothing more was sent.")
            return redirect(_show_url(event))
        return render_template("notices/decided.html", event=event, change=change)
    if request.method == "GET":
        form = ChangeNoticeForm(formdata=None, message=services.default_message(change))
        return _page(event, change, form)
    form = ChangeNoticeForm()
    if not form.validate_on_submit():
        return _page(event, change, form, 400)
    _batch, sent = services.send_change_notice(change, form.message.data or "", by=current_user)
    db.session.commit()
    flash(f"Message queued to {sent} {'person' if sent == 1 else 'people'}. You can follow it on the Email page.", "success")
    return redirect(_show_url(event))


@bp.post("/<uuid:public_id>/changes/<uuid:change_id>/do-not-tell")
@roles_required(Role.ORGANISER)
def dont_tell(public_id, change_id):
    event, change = _load(public_id, change_id)
    if DontTellForm().validate_on_submit() and change.decision is None:
        decide_not_to_tell(change, by=current_user)
        db.session.commit()
        flash("Nobody was told about the change. This is recorded with the event.", "success")
    return redirect(_show_url(event))


# --- Messages to the people coming --------------------------------------------------------------

def _event(public_id) -> Event:
    event = load_or_404(Event, public_id=str(public_id))
    require(event.can_manage(current_user))
    return event


def _message_form(event: Event, groups: list[messages.Recipients], formdata=_UNSET) -> MessageForm:
    form = MessageForm() if formdata is _UNSET else MessageForm(formdata=formdata)
    form.group.choices = [(g.key, _choice_label(g)) for g in groups]
    return form


def _choice_label(group: messages.Recipients) -> str:
    label = f"{group.name}: {group.total} by email"
    if group.no_email:
        label += f", {len(group.no_email)} without email"
    return label


def _write_page(event: Event, form: MessageForm, groups: list[messages.Recipients], status: int = 200):
    return render_template("notices/message_write.html", event=event, form=form, groups=groups,
                           subject_limit=messages.SUBJECT_LIMIT, text_limit=messages.TEXT_LIMIT), status


@bp.get("/<uuid:public_id>/messages")
@roles_required(Role.ORGANISER)
def messages_index(public_id):
    event = _event(public_id)
    return render_template("notices/messages.html", event=event, sent_messages=messages.messages_of(event))


@bp.route("/<uuid:public_id>/messages/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def message_new(public_id):
    """Write the message; a valid one goes to the preview (nothing is sent from here)."""
    event = _event(public_id)
    groups = messages.groups(event)
    if request.method == "GET":
        form = _message_form(event, groups, formdata=None)
        if (chosen := request.args.get("group")) in {g.key for g in groups}:
            form.group.data = chosen
        return _write_page(event, form, groups)
    form = _message_form(event, groups)
    if not form.validate_on_submit():
        return _write_page(event, form, groups, 400)
    return _preview_page(event, form)


def _preview_page(event: Event, form: MessageForm):
    group = messages.find_group(event, form.group.data or "")
    if group is None:  # validate_choice has checked it: the group went away meanwhile
        abort(404)
    subject, text = form.subject.data or "", form.text.data or ""
    return render_template("notices/message_preview.html", event=event, form=form, group=group,
                           preview=messages.preview(event, group, subject, text),
                           private_preview=messages.preview(event, group, subject, text, private=True) if group.private else None)


@bp.post("/<uuid:public_id>/messages/send")
@roles_required(Role.ORGANISER)
def message_send(public_id):
    """From the preview: send it, or go back to change it (keeping everything typed)."""
    event = _event(public_id)
    groups = messages.groups(event)
    form = _message_form(event, groups)
    if request.form.get("change") is not None:
        form.validate_on_submit()  # CSRF checked; the errors, if any, shown beside the fields
        return _write_page(event, form, groups, 200 if not form.errors else 400)
    if not form.validate_on_submit():
        return _write_page(event, form, groups, 400)
    group = messages.find_group(event, form.group.data or "")
    if group is None:
        abort(404)
    subject, text = form.subject.data or "", form.text.data or ""
    if (earlier := messages.just_sent(event, group, subject, text)) is not None:
        flash("This message was sent a moment ago. It was not sent again.")
        return redirect(url_for("notices.message_show", public_id=event.public_id, message_id=earlier.public_id))
    message = messages.send_message(event, group, subject, text, by=current_user)
    db.session.commit()
    flash(f"Message queued to {message.emailed} {'person' if message.emailed == 1 else 'people'}. You can follow it on the Email page.", "success")
    return redirect(url_for("notices.message_show", public_id=event.public_id, message_id=message.public_id))


@bp.get("/<uuid:public_id>/messages/<uuid:message_id>")
@roles_required(Role.ORGANISER)
def message_show(public_id, message_id):
    event = _event(public_id)
    message = load_or_404(EventMessage, public_id=str(message_id))
    require(message.event_id == event.id, 404)
    return render_template("notices/message_show.html", event=event, message=message)
