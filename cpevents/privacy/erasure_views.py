"""Erasure on request: the confirmation pages, the list of requests, confirm and cancel.

Entry points sit on each person's own page (a young person's record, an account, a registration,
a champion application); they all lead to one confirmation page that says exactly what goes and
what stays."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.accounts.models import User
from cpevents.champions.models import Champion
from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, answer
from cpevents.extensions import db
from cpevents.privacy import erasure
from cpevents.privacy.forms import ErasureForm, RequestErasureForm
from cpevents.privacy.models import ErasureRequest, ErasureState
from cpevents.registrations.models import Registration
from cpevents.young_people.models import YoungPerson

bp = Blueprint("erasure", __name__)


def _back(subject) -> str:
    kind = erasure.kind_of(subject)
    if kind is erasure.ErasureKind.YOUNG_PERSON:
        return url_for("young_people.show", public_id=subject.public_id)
    if kind is erasure.ErasureKind.ACCOUNT:
        return url_for("people.show", public_id=subject.public_id)
    if kind is erasure.ErasureKind.CHAMPION:
        return url_for("champions.application", public_id=subject.public_id)
    return url_for("registrations.index", public_id=subject.event.public_id)


def _who(subject) -> str:
    """The name on the confirmation page, so the organiser is sure who they are erasing."""
    if isinstance(subject, YoungPerson):
        return subject.full_name
    return subject.name


def _confirm_page(subject):
    """GET: what will go and what stays, and the reason. POST: erase (or, for a young person,
    ask a second organiser)."""
    two = erasure.kind_of(subject).needs_second_organiser
    form = RequestErasureForm() if two else ErasureForm()
    waiting = erasure.waiting_request(subject)
    if waiting is not None:
        return redirect(url_for("erasure.show", public_id=waiting.public_id))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                if two:
                    req = erasure.request_erasure(subject, reason=answer(form.reason.data), by=current_user)
                else:
                    req = erasure.erase_now(subject, reason=answer(form.reason.data), by=current_user)
            except erasure.ErasureRefused as error:
                form.reason.errors = [str(error)]
            else:
                db.session.commit()
                if two:
                    flash("Erasure asked for. A different organiser must now confirm it on this page.", "success")
                else:
                    flash(f"Data erased. Reference {req.reference}.", "success")
                return redirect(url_for("erasure.show", public_id=req.public_id))
        status = 400
    refused = None
    if erasure.already_erased(subject):
        refused = "This person’s data has already been erased."
    elif isinstance(subject, User) and subject.id == current_user.id:
        refused = "You cannot erase your own account. Ask another organiser."
    elif isinstance(subject, YoungPerson) and subject.is_merged:
        refused = "This record was merged into another one. Erase the record it was merged into."
    return render_template("privacy/erase.html", subject=subject, who=_who(subject), plan=erasure.plan_for(subject), form=form,
                           two=two, back=_back(subject), refused=refused), status


@bp.route("/young-people/<uuid:public_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def young_person(public_id):
    return _confirm_page(load_or_404(YoungPerson, public_id=str(public_id)))


@bp.route("/people/<uuid:public_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def account(public_id):
    return _confirm_page(load_or_404(User, public_id=str(public_id)))


@bp.route("/registrations/<uuid:public_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def registration(public_id):
    return _confirm_page(load_or_404(Registration, public_id=str(public_id)))


@bp.route("/champions/applications/<uuid:public_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def champion(public_id):
    return _confirm_page(load_or_404(Champion, public_id=str(public_id)))


@bp.get("/erasure")
@roles_required(Role.ORGANISER)
def index():
    rows = db.session.execute(
        select(ErasureRequest).options(joinedload(ErasureRequest.requested_by))  # named on each row: one query, not one per organiser
        .order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc()).limit(500)
    ).scalars().all()
    waiting = [r for r in rows if r.state == ErasureState.REQUESTED]
    finished = [r for r in rows if r.state != ErasureState.REQUESTED]
    return render_template("privacy/erasure_index.html", waiting=waiting, finished=finished)


def _show(req: ErasureRequest, status: int = 200, error: str | None = None):
    subject = erasure.subject_of(req)
    plan = erasure.plan_for(subject) if req.is_waiting else None
    return render_template("privacy/erasure_show.html", req=req, subject=subject, who=_who(subject) if req.is_waiting else None,
                           plan=plan, confirm=ConfirmForm(), error=error), status


@bp.get("/erasure/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    return _show(load_or_404(ErasureRequest, public_id=str(public_id)))


@bp.post("/erasure/<uuid:public_id>/confirm")
@roles_required(Role.ORGANISER)
def confirm(public_id):
    req = load_or_404(ErasureRequest, public_id=str(public_id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _show(req, 400)
    try:
        erasure.confirm_erasure(req, by=current_user)
    except erasure.ErasureRefused as refused:
        return _show(req, 400, str(refused))
    db.session.commit()
    flash(f"Data erased. Reference {req.reference}.", "success")
    return redirect(url_for("erasure.show", public_id=req.public_id))


@bp.post("/erasure/<uuid:public_id>/cancel")
@roles_required(Role.ORGANISER)
def cancel(public_id):
    req = load_or_404(ErasureRequest, public_id=str(public_id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _show(req, 400)
    try:
        erasure.cancel_erasure(req, by=current_user)
    except erasure.ErasureRefused as refused:
        return _show(req, 400, str(refused))
    db.session.commit()
    flash("Erasure cancelled. Nothing was erased.", "success")
    return redirect(url_for("erasure.index"))
