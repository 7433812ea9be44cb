"""The organisers' pages for the awards night on stage: the running order (awards moved up and
down with plain POST forms, no JavaScript needed), the presenter's sheet of each award (page and
PDF), its sealed version (asked for with a POST, each printing recorded) and the photographer's
list. Organisers only: the sheets are printed by them and handed over."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm
from cpevents.core.time import utcnow
from cpevents.events.models import AwardCategory, Event
from cpevents.extensions import db
from cpevents.stage import pdf, queries, services

bp = Blueprint("stage", __name__, url_prefix="/events/<uuid:public_id>")


def _event(public_id) -> Event:
    event = load_or_404(Event, public_id=str(public_id))
    require(event.can_manage(current_user))
    return event


def _award(event: Event, category_id) -> AwardCategory:
    return load_or_404(AwardCategory, public_id=str(category_id), event_id=event.id)


def _slot(event: Event, category: AwardCategory, *, with_winners: bool) -> queries.AwardSlot:
    return queries.running_order(event, with_winners=with_winners, only=category)[0]


def _pdf_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _no_store(html: str):
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/running-order")
@roles_required(Role.ORGANISER)
def running_order(public_id):
    event = _event(public_id)
    slots = queries.running_order(event, with_winners=True)
    return _no_store(render_template("stage/running_order.html", event=event, slots=slots))


@bp.post("/running-order/<uuid:category_id>/move")
@roles_required(Role.ORGANISER)
def move(public_id, category_id):
    event = _event(public_id)
    category = _award(event, category_id)
    form = ConfirmForm()
    back = url_for("stage.running_order", public_id=event.public_id, _anchor="award-" + category.public_id)
    if not form.validate_on_submit():
        flash("Something went wrong. Try again.", "error")
        return redirect(back)
    direction = request.form.get("direction", "")
    try:
        services.move_award(event, category, direction)
    except services.StageError as error:
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(f"{category.name} moved {direction}.")
    return redirect(back)


@bp.get("/running-order/<uuid:category_id>/sheet")
@roles_required(Role.ORGANISER)
def sheet(public_id, category_id):
    event = _event(public_id)
    slot = _slot(event, _award(event, category_id), with_winners=False)
    return _no_store(render_template("stage/sheet.html", event=event, slot=slot, sealed=False))


@bp.get("/running-order/<uuid:category_id>/sheet.pdf")
@roles_required(Role.ORGANISER)
def sheet_pdf(public_id, category_id):
    event = _event(public_id)
    slot = _slot(event, _award(event, category_id), with_winners=False)
    return _pdf_response(pdf.presenter_pdf(event, slot, sealed=False), f"presenters-sheet-{slot.number}.pdf")


@bp.route("/running-order/<uuid:category_id>/sealed", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def sealed(public_id, category_id):
    """GET: what the sealed sheet is, and the buttons. POST: print it (recorded), as the page or a PDF."""
    event = _event(public_id)
    category = _award(event, category_id)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("stage/sealed_confirm.html", event=event, category=category, form=form), status
    as_pdf = request.form.get("format") == "pdf"
    slot = _slot(event, category, with_winners=True)
    services.print_sealed(event, slot, as_pdf=as_pdf, by=current_user)
    db.session.commit()
    if as_pdf:
        return _pdf_response(pdf.presenter_pdf(event, slot, sealed=True), f"sealed-presenters-sheet-{slot.number}.pdf")
    return _no_store(render_template("stage/sheet.html", event=event, slot=slot, sealed=True, printed_at=utcnow()))


@bp.get("/photographers-list")
@roles_required(Role.ORGANISER)
def photographers(public_id):
    event = _event(public_id)
    yes, no = queries.photographers_list(event)
    return _no_store(render_template("stage/photographers.html", event=event, yes=yes, no=no))


@bp.get("/photographers-list.pdf")
@roles_required(Role.ORGANISER)
def photographers_pdf(public_id):
    event = _event(public_id)
    yes, no = queries.photographers_list(event)
    return _pdf_response(pdf.photographers_pdf(event, yes, no), "photographers-list.pdf")
