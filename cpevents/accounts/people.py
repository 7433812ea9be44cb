"""Organisers manage people: search, invite, change roles, deactivate. Nobody is ever deleted."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.accounts import services
from cpevents.accounts.forms import DomainForm, InviteForm, PeopleSearchForm, RolesForm
from cpevents.accounts.models import ApprovedDomain, User
from cpevents.accounts.queries import PAGE_SIZE, approved_domains, search_people
from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.paging import clamp_page, page_count, requested_page
from cpevents.extensions import db

bp = Blueprint("people", __name__, url_prefix="/people")


def _person(public_id) -> User:
    return load_or_404(User, public_id=str(public_id))


@bp.get("")
@roles_required(Role.ORGANISER)
def index():
    form = PeopleSearchForm(request.args)
    if not form.validate():
        return render_template("people/index.html", form=form, people=[], total=0, page=1, pages=1), 400
    page = requested_page()
    people, total = search_people(form.q.data or "", form.role.data or "", form.status.data or "", page)
    return render_template("people/index.html", form=form, people=people, total=total, page=clamp_page(page, total, PAGE_SIZE), pages=page_count(total, PAGE_SIZE))


@bp.route("/invite", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def invite():
    form = InviteForm()
    if request.method == "GET":
        if request.args.get("role") in {r.value for r in Role}:
            form.roles.data = [request.args["role"]]
        return render_template("people/invite.html", form=form)
    if form.validate_on_submit():
        try:
            person = services.invite_user(
                name=answer(form.name.data), email=answer(form.email.data), roles={Role(r) for r in answer(form.roles.data)}, by=current_user
            )
        except services.AccountError as error:
            add_error(form.email, str(error))
        else:
            db.session.commit()
            flash(f"Invitation sent to {person.email}. The link in it works for 7 days.", "success")
            return redirect(url_for("people.show", public_id=person.public_id))
    return render_template("people/invite.html", form=form), 400


@bp.get("/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    person = _person(public_id)
    roles_form = RolesForm(formdata=None, roles=[r.value for r in person.sorted_roles])
    return render_template("people/show.html", person=person, roles_form=roles_form, confirm=ConfirmForm(), approver=_approver(person))


def _approver(person: User) -> User | None:
    return db.session.get(User, person.approved_by_id) if person.approved_by_id else None


@bp.post("/<uuid:public_id>/roles")
@roles_required(Role.ORGANISER)
def roles(public_id):
    person = _person(public_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            services.change_roles(person, {Role(r) for r in answer(form.roles.data)}, by=current_user)
        except services.AccountError as error:
            add_error(form.roles, str(error))
        else:
            db.session.commit()
            flash(f"Roles saved for {person.name}.", "success")
            return redirect(url_for("people.show", public_id=person.public_id))
    return render_template("people/show.html", person=person, roles_form=form, confirm=ConfirmForm(), form=form, approver=_approver(person)), 400


@bp.post("/<uuid:public_id>/deactivate")
@roles_required(Role.ORGANISER)
def deactivate(public_id):
    person = _person(public_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.deactivate_user(person, by=current_user)
        except services.AccountError as error:
            flash(str(error))
        else:
            db.session.commit()
            flash(f"{person.name} can no longer sign in. Their history is kept.", "success")
    return redirect(url_for("people.show", public_id=person.public_id))


@bp.post("/<uuid:public_id>/reactivate")
@roles_required(Role.ORGANISER)
def reactivate(public_id):
    person = _person(public_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(person, by=current_user)
        db.session.commit()
        flash(f"{person.name} can sign in again.", "success")
    return redirect(url_for("people.show", public_id=person.public_id))


@bp.post("/<uuid:public_id>/resend-invitation")
@roles_required(Role.ORGANISER)
def resend_invitation(public_id):
    person = _person(public_id)
    if ConfirmForm().validate_on_submit() and person.is_active and person.password_hash is None:
        services.send_set_password(person, invited_by=current_user)
        db.session.commit()
        flash(f"A new invitation has been sent to {person.email}. Earlier links no longer work.", "success")
    return redirect(url_for("people.show", public_id=person.public_id))


# --- vetting: approving accounts, trusted domains ------------------------------------------------


@bp.post("/<uuid:public_id>/approve")
@roles_required(Role.ORGANISER)
def approve(public_id):
    person = _person(public_id)
    if ConfirmForm().validate_on_submit():
        if not person.is_active:
            flash(f"{person.name}'s account is deactivated. Reactivate it first.")
        elif services.approve_account(person, by=current_user):
            db.session.commit()
            flash(f"{person.name}'s account is approved. We have emailed them. They still see no young person until you link them to one.", "success")
        else:
            flash(f"{person.name}'s account was already approved.")
    return redirect(url_for("people.show", public_id=person.public_id))


@bp.route("/domains", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def domains():
    form = DomainForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                row, approved = services.add_approved_domain(answer(form.domain.data), answer(form.description.data), by=current_user)
            except services.AccountError as error:
                add_error(form.domain, str(error))
            else:
                db.session.commit()
                extra = f" {approved} {'account' if approved == 1 else 'accounts'} waiting on it {'was' if approved == 1 else 'were'} approved." if approved else ""
                flash(f"{row.domain} added. New accounts with a confirmed address on it are approved straight away.{extra}", "success")
                return redirect(url_for("people.domains"))
        return render_template("people/domains.html", form=form, domains=approved_domains(), confirm=ConfirmForm(formdata=None)), 400
    return render_template("people/domains.html", form=form, domains=approved_domains(), confirm=ConfirmForm(formdata=None))


@bp.post("/domains/<uuid:domain_id>/remove")
@roles_required(Role.ORGANISER)
def remove_domain(domain_id):
    row = load_or_404(ApprovedDomain, public_id=str(domain_id))
    if ConfirmForm().validate_on_submit():
        name = row.domain
        services.remove_approved_domain(row)
        db.session.commit()
        flash(f"{name} removed. New accounts on it will wait for an organiser. Accounts already approved stay approved.", "success")
    return redirect(url_for("people.domains"))
