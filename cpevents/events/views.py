"""Organisers create events, their award categories and nomination windows."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import button_form
from cpevents.core.paging import paged
from cpevents.core.time import LONDON
from cpevents.core.views import Done, form_page
from cpevents.events import services
from cpevents.events.forms import CategoryForm, EventForm, WindowForm
from cpevents.events.models import AwardCategory, CareStatusRule, Event, EventKind
from cpevents.events.signals import event_page
from cpevents.extensions import db

bp = Blueprint("events", __name__, url_prefix="/events")

EVENTS_PAGE_SIZE = 25

CancelForm = button_form("Cancel the event")


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


def _show_url(event: Event) -> str:
    return url_for("events.show", public_id=event.public_id)


def _event_fields(form: EventForm) -> dict:
    return {
        "kind": EventKind(form.kind.data),
        "name": form.name.data,
        "starts_at": form.starts_at(),
        "venue": form.venue.data or "",
        "capacity": form.capacity.data,
        "description": form.description.data or "",
        "theme": form.theme.data or "",
        "planning_credit": form.planning_credit.data or "",
        "min_age": form.min_age.data,
        "max_age": form.max_age.data,
    }


def _category_fields(form: CategoryForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "min_age": form.min_age.data,
        "max_age": form.max_age.data,
        "care_status_rule": CareStatusRule(form.care_status_rule.data),
    }


@bp.get("")
@roles_required(Role.ORGANISER)
def index():
    # Ten years of events is hundreds of rows: a page at a time, latest first (issue 19).
    listed = paged(select(Event).options(selectinload(Event.categories)).order_by(Event.starts_at.desc(), Event.id.desc()), EVENTS_PAGE_SIZE)
    return render_template("events/index.html", events=listed.rows, page=listed.page, pages=listed.pages)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new():
    form = EventForm()

    def create() -> Done:
        event = services.create_event(**_event_fields(form), by=current_user)
        added = " The usual PROUD Awards categories have been added: change them as you need." if event.categories else ""
        return Done(_show_url(event), f"{event.name} created." + added)

    return form_page(form, "events/form.html", create, event=None)


@bp.get("/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    event = _event(public_id)
    # The panels from the packages above: registrations' audiences, home's task list by stage.
    panels: dict = {}
    for _receiver, values in event_page.send(event):
        panels.update(values)
    return render_template("events/show.html", event=event, pending=services.pending_change(event), changes=services.event_changes(event), **panels)


@bp.route("/<uuid:public_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit(public_id):
    event = _event(public_id)
    require(event.can_manage(current_user))
    if request.method == "GET":
        local = event.starts_at.astimezone(LONDON)
        form = EventForm(obj=event, kind=event.kind.value, date=local.date(), start_time=local.strftime("%H:%M"), event=event)
    else:
        form = EventForm(event=event)

    def save() -> Done:
        change = services.update_event(event, **_event_fields(form), by=current_user)
        if change is None:
            return Done(_show_url(event), "Event saved.")
        # The date, time or venue changed: ask whether to tell the people with a place.
        return Done(_change_url(event, change), "Event saved. Now choose whether to tell the people with a place.")

    return form_page(form, "events/form.html", save, event=event)


def _change_url(event: Event, change) -> str:
    return url_for("notices.change_notice", public_id=event.public_id, change_id=change.public_id)


@bp.route("/<uuid:public_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def cancel(public_id):
    """Cancelling asks first (opening the page changes nothing); then whether to tell people."""
    event = _event(public_id)
    require(event.can_manage(current_user))
    form = CancelForm()
    if request.method == "POST" and form.validate_on_submit():
        if event.is_cancelled or event.is_closed:
            flash("This event is already cancelled or closed. Nothing has changed.")
            return redirect(_show_url(event))
        change = services.cancel_event(event, by=current_user)
        db.session.commit()
        flash(f"{event.name} is cancelled. Now choose whether to tell the people with a place.", "success")
        return redirect(_change_url(event, change))
    return render_template("events/cancel.html", event=event, form=CancelForm(formdata=None))


@bp.route("/<uuid:public_id>/nomination-window", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def window(public_id):
    event = _event(public_id)
    if request.method == "GET":
        form = WindowForm(event=event, formdata=None)
        if event.nominations_open_at:
            form.opens.data = event.nominations_open_at.astimezone(LONDON).date()
            form.closes.data = event.nominations_last_day
    else:
        form = WindowForm(event=event)

    def save() -> Done:
        services.set_window(event, *form.window())
        return Done(_show_url(event), "Nomination dates saved.")

    return form_page(form, "events/window.html", save, event=event)


@bp.route("/<uuid:public_id>/categories/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_category(public_id):
    event = _event(public_id)
    form = CategoryForm(event=event)

    def add() -> Done:
        category = services.add_category(event, **_category_fields(form))
        return Done(_show_url(event), f"Category “{category.name}” added.")

    return form_page(form, "events/category_form.html", add, event=event, category=None)


@bp.route("/<uuid:public_id>/categories/<uuid:category_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_category(public_id, category_id):
    event = _event(public_id)
    category = load_or_404(AwardCategory, public_id=str(category_id))
    require(category.event_id == event.id, 404)
    if request.method == "GET":
        form = CategoryForm(obj=category, care_status_rule=category.care_status_rule.value, event=event)
    else:
        form = CategoryForm(event=event)

    def save() -> Done:
        services.update_category(category, **_category_fields(form))
        return Done(_show_url(event), f"Category “{category.name}” saved.")

    return form_page(form, "events/category_form.html", save, event=event, category=category)
