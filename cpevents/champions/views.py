"""Applying to be a champion, organisers deciding, the directory, coverage, and a champion's
own pledges."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from cpevents.champions import queries, services
from cpevents.champions.forms import ApplyForm, DeclineForm, PledgeActionForm, ServiceForm
from cpevents.champions.models import Champion, ChampionPledge, ChampionService, ChampionStatus
from cpevents.core import ratelimits
from cpevents.core.access import approved, load_or_404, public, require, roles_required, token_link
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.paging import paged
from cpevents.core.security import private_link_headers
from cpevents.core.views import Done, form_page
from cpevents.extensions import db, limiter

bp = Blueprint("champions", __name__)

DIRECTORY_PAGE_SIZE = 50


# --- applying ---------------------------------------------------------------------------------


@bp.route("/champions/apply", methods=["GET", "POST"])
@public
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def apply():
    signed = current_user.is_authenticated
    service_list = queries.active_services()
    form = ApplyForm(services=service_list, signed_in=signed)
    if request.method == "GET":
        existing = None
        if signed:
            form.job_title.data = current_user.job_title
            existing = services.live_application(current_user.email)
        return render_template("champions/apply.html", form=form, existing=existing)
    if not form.validate_on_submit():
        return render_template("champions/apply.html", form=form), 400
    service = next(s for s in service_list if s.public_id == form.service.data)
    answers: dict[str, Any] = {"job_title": answer(form.job_title.data), "service": service, "pledges": form.pledge_kinds(),
                               "pledge_words": answer(form.pledge_words.data)}
    if signed:
        try:
            services.apply_signed_in(current_user, **answers)
        except services.ChampionError as error:
            add_error(form.service, str(error))
            return render_template("champions/apply.html", form=form), 400
        db.session.commit()
        return redirect(url_for("champions.applied"))
    services.apply_as_guest(name=answer(form.name.data), email=answer(form.email.data), **answers)
    db.session.commit()
    session["champion_email"] = form.email.data
    return redirect(url_for("champions.check_email"))


@bp.get("/champions/apply/check-your-email")
@public
def check_email():
    return render_template("champions/check_email.html", email=session.get("champion_email"), hours=services.CONFIRM_LIFETIME.total_seconds() // 3600)


@bp.get("/champions/apply/sent")
@public
def applied():
    return render_template("champions/applied.html")


@bp.route("/champions/confirm/<token>", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit)
def confirm(token):
    champion = services.find_unconfirmed(token)
    if champion is None:
        return private_link_headers(make_response(render_template("champions/link_expired.html"), 404))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        services.confirm_application(champion)
        db.session.commit()
        return redirect(url_for("champions.applied"))
    return private_link_headers(make_response(render_template("champions/confirm.html", form=form, champion=champion)))


# --- organisers deciding ----------------------------------------------------------------------


@bp.get("/champions/applications")
@roles_required(Role.ORGANISER)
def applications():
    return render_template(
        "champions/applications.html",
        waiting=queries.applications(ChampionStatus.PENDING),
        unconfirmed=queries.applications(ChampionStatus.UNCONFIRMED, limit=50),
        declined=queries.applications(ChampionStatus.DECLINED, limit=20),
    )


def _application(public_id) -> Champion:
    return load_or_404(Champion, public_id=str(public_id))


@bp.get("/champions/applications/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def application(public_id):
    champion = _application(public_id)
    return render_template("champions/application.html", champion=champion, form=DeclineForm(formdata=None), approve_form=ConfirmForm(formdata=None))


@bp.post("/champions/applications/<uuid:public_id>/approve")
@roles_required(Role.ORGANISER)
def approve(public_id):
    champion = _application(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        account = services.approve_champion(champion, by=current_user)
    except services.ChampionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("champions.application", public_id=champion.public_id))
    db.session.commit()
    how = "We have invited them to set a password for their new account." if account.password_hash is None else "They now have the champion role."
    flash(f"{champion.name} is now a Corporate Parenting Champion until {champion.term_ends_at.strftime('%-d %B %Y')}. {how}", "success")
    return redirect(url_for("champions.applications"))


@bp.post("/champions/applications/<uuid:public_id>/decline")
@roles_required(Role.ORGANISER)
def decline(public_id):
    champion = _application(public_id)
    form = DeclineForm()

    def decline_it() -> Done:
        services.decline_champion(champion, reason=answer(form.reason.data), by=current_user)
        return Done(url_for("champions.applications"), f"{champion.name}'s application is declined. We have emailed them your reason.")

    return form_page(form, "champions/application.html", decline_it, fails=(services.ChampionError,), error_field="reason",
                     champion=champion, approve_form=ConfirmForm(formdata=None))


# --- services list ----------------------------------------------------------------------------


@bp.route("/champions/services", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def service_list():
    form = ServiceForm()

    def add() -> Done:
        service = services.add_service(answer(form.name.data))
        return Done(url_for("champions.service_list"), f"{service.name} added to the list of services.")

    return form_page(form, "champions/services.html", add, fails=(services.ChampionError,), error_field="name",
                     services=queries.all_services(), toggle=ConfirmForm(formdata=None))


@bp.post("/champions/services/<uuid:public_id>/active")
@roles_required(Role.ORGANISER)
def service_active(public_id):
    service = load_or_404(ChampionService, public_id=str(public_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_service_active(service, not service.active)
    db.session.commit()
    flash(f"{service.name} is {'back on' if service.active else 'taken off'} the list people choose from.", "success")
    return redirect(url_for("champions.service_list"))


# --- directory and coverage -------------------------------------------------------------------


@bp.get("/champions")
@approved
def directory():
    chosen = request.args.get("service", "")
    service_list = queries.active_services()
    if chosen and chosen not in {s.public_id for s in service_list}:
        chosen = ""
    listed = paged(queries.directory(chosen), DIRECTORY_PAGE_SIZE)
    return render_template("champions/directory.html", champions=listed.rows, total=listed.total, page=listed.page, pages=listed.pages,
                           services=service_list, chosen=chosen)


@bp.get("/champions/coverage")
@roles_required(Role.ORGANISER, Role.BOARD)
def coverage():
    by_service = queries.champions_by_service()
    return render_template(
        "champions/coverage.html",
        by_service=by_service,
        without=[s for s, n in by_service if n == 0],
        pledges=queries.pledges_made_and_kept(),
    )


# --- a champion's own pledges -----------------------------------------------------------------


def _own_record() -> Champion:
    record = services.current_record(current_user)
    if record is None:
        abort(404)
    return record


@bp.get("/champion/pledges")
@roles_required(Role.CHAMPION)
def pledges():
    record = services.current_record(current_user)
    return render_template("champions/pledges.html", record=record, pledges=queries.own_pledges(record) if record else [], renew_form=ConfirmForm(formdata=None))


@bp.route("/champion/pledges/<uuid:public_id>/record", methods=["GET", "POST"])
@roles_required(Role.CHAMPION)
def record_action(public_id):
    pledge = load_or_404(ChampionPledge, public_id=str(public_id))
    require(pledge.champion.user_id == current_user.id, 404)
    form = PledgeActionForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.record_pledge_action(pledge, done_on=answer(form.done_on.data), what=answer(form.what.data))
            except services.ChampionError as error:
                add_error(form.what, str(error))
            else:
                db.session.commit()
                flash("Saved. Thank you for keeping your pledge.", "success")
                return redirect(url_for("champions.pledges"))
        return render_template("champions/record_action.html", form=form, pledge=pledge), 400
    return render_template("champions/record_action.html", form=form, pledge=pledge)


@bp.post("/champion/renew")
@roles_required(Role.CHAMPION)
def renew():
    record = _own_record()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.renew_champion(record)
    except services.ChampionError as error:
        flash(str(error), "error")
        return redirect(url_for("champions.pledges"))
    db.session.commit()
    flash(f"Thank you. You are a champion until {record.term_ends_at.strftime('%-d %B %Y')}.", "success")
    return redirect(url_for("champions.pledges"))
