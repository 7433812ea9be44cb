"""The organiser decides whether to tell the people with a place about a change to an event,
sees who it reaches and the message, and sends it as one batch (or records that they chose not to)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.events.models import Event, EventChange
from cpevents.events.services import decide_not_to_tell
from cpevents.extensions import db
from cpevents.notices import services
from cpevents.notices.forms import ChangeNoticeForm, DontTellForm

bp = Blueprint("notices", __name__, url_prefix="/events")


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
