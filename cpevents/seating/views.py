"""Name cards and seating: the organisers' pages. Organisers only; every other role gets 403.

The seating page lists the tables with who sits at each, and the parties with no table; every
party has a plain form to move it (no JavaScript needed). The first pass seats only the parties
with no table, so it never undoes a move made by hand.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.certificates import pdf_download
from cpevents.core.enums import Role
from cpevents.core.forms import add_error
from cpevents.core.time import utcnow
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.seating import services
from cpevents.seating.cards import LABEL_PRODUCT, name_cards_pdf
from cpevents.seating.forms import FirstPassForm, RemoveTableForm, TableForm
from cpevents.seating.models import SeatingTable
from cpevents.seating.parties import name_cards, seating_plan, table_plan

bp = Blueprint("seating", __name__)


def _event(public_id) -> Event:
    event = load_or_404(Event, public_id=str(public_id))
    require(event.can_manage(current_user))
    return event


def _table(public_id) -> SeatingTable:
    table = load_or_404(SeatingTable, public_id=str(public_id))
    require(table.can_manage(current_user))
    return table


def _page(event: Event, *, move_error: tuple[str, str, str] | None = None, status: int = 200):
    """The seating page; `move_error` is (party key, message, the table chosen) after a refused move."""
    tables, unseated = seating_plan(event)
    biggest = max((t.table.seats for t in tables), default=0)
    return render_template("seating/index.html", event=event, tables=tables, unseated=unseated, biggest=biggest,
                           first_pass=FirstPassForm(), move_error=move_error, label_product=LABEL_PRODUCT,
                           too_big=services.TOO_BIG), status


@bp.get("/events/<uuid:public_id>/seating")
@roles_required(Role.ORGANISER)
def index(public_id):
    return _page(_event(public_id))


@bp.route("/events/<uuid:public_id>/seating/tables/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_table(public_id):
    event = _event(public_id)
    form = TableForm()

    def add() -> Done:
        table = services.add_table(event, **form.fields())
        return Done(url_for("seating.index", public_id=event.public_id), f"{table.label} added.")

    return form_page(form, "seating/table_form.html", add, fails=(services.SeatingError,), error_field="name", event=event, table=None)


@bp.route("/seating/tables/<uuid:public_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_table(public_id):
    table = _table(public_id)
    form = TableForm(obj=table) if request.method == "GET" else TableForm()

    def save() -> Done:
        services.change_table(table, **form.fields())
        return Done(url_for("seating.index", public_id=table.event.public_id), f"{table.label} saved.")

    if request.method == "POST" and form.validate_on_submit():
        try:
            done = save()
        except services.SeatingError as error:
            # A clash of names belongs beside the name; too few seats beside the seats.
            add_error(form.name if "called" in str(error) or "number or name" in str(error) else form.seats, str(error))
            db.session.rollback()
            return render_template("seating/table_form.html", form=form, event=table.event, table=table), 400
        db.session.commit()
        flash(done.message)
        return redirect(done.to)
    return form_page(form, "seating/table_form.html", save, event=table.event, table=table)


@bp.route("/seating/tables/<uuid:public_id>/remove", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def remove_table(public_id):
    table = _table(public_id)
    event = table.event
    form = RemoveTableForm()
    label = table.label

    def remove() -> Done:
        moved = services.remove_table(table)
        extra = f" {moved} {'party has' if moved == 1 else 'parties have'} no table now." if moved else ""
        return Done(url_for("seating.index", public_id=event.public_id), f"{label} removed.{extra}")

    tables, _ = seating_plan(event)
    here = next((t for t in tables if t.table.id == table.id), None)
    return form_page(form, "seating/remove_table.html", remove, event=event, table=table, here=here)


@bp.post("/events/<uuid:public_id>/seating/first-pass")
@roles_required(Role.ORGANISER)
def first_pass(public_id):
    event = _event(public_id)
    if not FirstPassForm().validate_on_submit():
        return _page(event, status=400)
    result = services.first_pass(event, by=current_user)
    db.session.commit()
    flash(result.message)
    return redirect(url_for("seating.index", public_id=event.public_id))


@bp.post("/events/<uuid:public_id>/seating/move")
@roles_required(Role.ORGANISER)
def move(public_id):
    event = _event(public_id)
    if not FirstPassForm().validate_on_submit():  # the CSRF token: the move form has no other fields to check
        return _page(event, status=400)
    key = request.form.get("party", "")[:60]
    choice = request.form.get("table", "")[:60]
    table = None
    if choice and choice != "none":
        table = db.session.execute(db.select(SeatingTable).filter_by(public_id=choice, event_id=event.id)).scalar_one_or_none()
        if table is None:
            return _page(event, move_error=(key, "Choose one of this event’s tables", ""), status=400)
    try:
        party = services.move_party(event, key, table, by=current_user)
    except services.SeatingError as error:
        db.session.rollback()
        return _page(event, move_error=(key, str(error), choice), status=400)
    db.session.commit()
    flash(f"{party.label} moved to {table.label}." if table else f"{party.label} has no table now.")
    return redirect(url_for("seating.index", public_id=event.public_id) + "#tables")


@bp.get("/events/<uuid:public_id>/seating/name-cards.pdf")
@roles_required(Role.ORGANISER)
def cards(public_id):
    event = _event(public_id)
    data = name_cards_pdf(name_cards(event), event_name=event.name)
    return pdf_download(data, f"name-cards-{event.starts_at:%Y-%m-%d}.pdf")


@bp.get("/events/<uuid:public_id>/seating/table-plan")
@roles_required(Role.ORGANISER)
def plan(public_id):
    event = _event(public_id)
    return render_template("seating/plan.html", event=event, plan=table_plan(event), printed_at=utcnow())
