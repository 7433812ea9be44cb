"""The nomination journey: one topic per page, a draft saved at every step, check your answers,
send, and a page that says what happens next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.events.queries import open_for_nominations
from cpevents.extensions import db
from cpevents.nominations import forms, services
from cpevents.nominations.models import Nomination, NominationStatus, YesNo
from cpevents.young_people.models import CareStatus, WorkerRelationship

bp = Blueprint("nominations", __name__)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type
    fields: tuple[str, ...]


STEPS = [
    Step("young-person", "The young person", forms.YoungPersonStep, ("first_name", "last_name", "date_of_birth", "care_status", "district")),
    Step("you", "You and the young person", forms.YouStep, ("relationship_type", "worked_with_recently")),
    Step("category", "The award", forms.CategoryStep, ("category",)),
    Step("achievement", "What they have achieved", forms.AchievementStep, ("achievement",)),
    Step("background", "Background for the organisers", forms.BackgroundStep, ("background",)),
    Step("safety", "Keeping them safe", forms.SafetyStep, ("young_person_knows", "not_known_reason", "public_concern", "public_concern_details", "contact_restriction_details")),
]
BY_SLUG = {step.slug: step for step in STEPS}
if tuple(BY_SLUG) != services.PAGES:
    raise RuntimeError("the nomination steps and services.PAGES disagree")


def _nomination(public_id) -> Nomination:
    nomination = load_or_404(Nomination, public_id=str(public_id))
    require(nomination.is_owned_by(current_user), 404)  # another nominator's nomination does not exist for you
    return nomination


def _form_value(nomination: Nomination, name: str):
    if name == "category":
        return nomination.category.public_id if nomination.category else None
    if name == "worked_with_recently":
        return None if nomination.worked_with_recently is None else ("yes" if nomination.worked_with_recently else "no")
    value = getattr(nomination, name)
    return value.value if hasattr(value, "value") else value


def _answers(step: Step, form, event: Event) -> dict:
    answers: dict[str, Any] = {}
    for name in step.fields:
        value = getattr(form, name).data
        if name == "category":
            answers["category"] = next(c for c in event.categories if c.public_id == value)
        elif name == "worked_with_recently":
            answers[name] = value == "yes"
        elif name == "care_status":
            answers[name] = CareStatus(value)
        elif name == "relationship_type":
            answers[name] = WorkerRelationship(value)
        elif name in ("young_person_knows", "public_concern"):
            answers[name] = YesNo(value)
        else:
            answers[name] = value or ("" if name != "date_of_birth" else None)
    return answers


def _build_form(step: Step, nomination: Nomination, formdata=True):
    form = step.form() if formdata else step.form(formdata=None)
    if step.slug == "category":
        form.category.choices = [(c.public_id, c.name) for c in nomination.event.categories]
    if not formdata:
        for name in step.fields:
            getattr(form, name).data = _form_value(nomination, name)
    return form


def _page_url(nomination: Nomination, page: str | None) -> str:
    if page is None:
        return url_for("nominations.check", public_id=nomination.public_id)
    if page == services.FIRST_PAGE:
        return url_for("home.nominator")
    return url_for("nominations.step", public_id=nomination.public_id, slug=page)


def _next_url(nomination: Nomination, step: Step) -> str:
    return _page_url(nomination, services.page_after(nomination, step.slug, from_check=request.args.get("from") == "check"))


def _back_url(nomination: Nomination, step: Step) -> str:
    return _page_url(nomination, services.page_before(nomination, step.slug, from_check=request.args.get("from") == "check"))


def _closed(nomination_or_event):
    event = getattr(nomination_or_event, "event", nomination_or_event)
    return render_template("nominations/closed.html", event=event)


def _locked(nomination: Nomination):
    """Changes after an organiser's decision are refused, never passed on to judges unread."""
    return render_template("nominations/locked.html", nomination=nomination), 409 if request.method == "POST" else 200


@bp.get("/nominate")
@roles_required(Role.NOMINATOR, pending_ok=True)
def start_page():
    events = open_for_nominations()
    # From the nominator's home, each open event has its own link: show that event only.
    chosen = [event for event in events if event.public_id == request.args.get("event")]
    return render_template("nominations/start.html", events=chosen or events, form=forms.SubmitForm())


@bp.post("/nominate/<uuid:event_id>")
@roles_required(Role.NOMINATOR, pending_ok=True)
def start(event_id):
    event = load_or_404(Event, public_id=str(event_id))
    if not forms.SubmitForm().validate_on_submit():
        return redirect(url_for("nominations.start_page"))
    if not event.nominations_open():
        return _closed(event)
    nomination = services.start_nomination(event, by=current_user)
    db.session.commit()
    return redirect(url_for("nominations.step", public_id=nomination.public_id, slug=STEPS[0].slug))


@bp.route("/nominations/<uuid:public_id>/<slug>", methods=["GET", "POST"])
@roles_required(Role.NOMINATOR, pending_ok=True)
def step(public_id, slug):
    nomination = _nomination(public_id)
    step = BY_SLUG.get(slug) or abort(404)
    if nomination.status == NominationStatus.WITHDRAWN:
        abort(404)
    if not nomination.event.nominations_open():
        return _closed(nomination)
    if nomination.is_locked:
        return _locked(nomination)
    context = {"nomination": nomination, "step": step, "number": STEPS.index(step) + 1, "total": len(STEPS), "back_url": _back_url(nomination, step)}
    if request.method == "GET":
        return render_template(f"nominations/step_{slug.replace('-', '_')}.html", form=_build_form(step, nomination, formdata=False), **context)
    form = _build_form(step, nomination)
    if form.validate_on_submit():
        answers = _answers(step, form, nomination.event)
        try:
            if step.slug == "category":
                services.choose_category(nomination, answers["category"])
        except services.NominationError as error:
            form.category.errors.append(str(error))
        else:
            services.save_answers(nomination, answers, page=step.slug)
            db.session.commit()
            return redirect(_next_url(nomination, step))
        db.session.rollback()
        nomination = _nomination(public_id)
        context["nomination"] = nomination
    return render_template(f"nominations/step_{slug.replace('-', '_')}.html", form=form, **context), 400


@bp.get("/nominations/<uuid:public_id>/continue")
@roles_required(Role.NOMINATOR, pending_ok=True)
def resume(public_id):
    """Continue a draft at the first page still to answer (a sent one opens its answers)."""
    nomination = _nomination(public_id)
    require(nomination.status != NominationStatus.WITHDRAWN, 404)
    page = services.first_unanswered_page(nomination) if nomination.status == NominationStatus.DRAFT else None
    if page is None:
        return redirect(url_for("nominations.check", public_id=nomination.public_id))
    return redirect(url_for("nominations.step", public_id=nomination.public_id, slug=page))


@bp.route("/nominations/<uuid:public_id>/delete", methods=["GET", "POST"])
@roles_required(Role.NOMINATOR, pending_ok=True)
def delete(public_id):
    nomination = _nomination(public_id)
    require(nomination.status == NominationStatus.DRAFT, 404)  # a sent nomination is withdrawn, never deleted
    form = forms.DeleteDraftForm()

    def delete_it() -> Done:
        first_name = nomination.first_name
        services.delete_draft(nomination, by=current_user)
        return Done(url_for("home.nominator"), f"Your draft nomination{' of ' + first_name if first_name else ''} has been deleted.")

    return form_page(form, "nominations/delete.html", delete_it, nomination=nomination)


@bp.route("/nominations/<uuid:public_id>/check", methods=["GET", "POST"])
@roles_required(Role.NOMINATOR, pending_ok=True)
def check(public_id):
    nomination = _nomination(public_id)
    if nomination.status == NominationStatus.WITHDRAWN:
        abort(404)
    if not nomination.event.nominations_open():
        return _closed(nomination)
    if nomination.is_locked:
        return _locked(nomination)
    form = forms.SubmitForm()
    missing = services.missing_answers(nomination)
    result = services.eligibility(nomination)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.submit_nomination(nomination, by=current_user)
        except services.NominationError as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("nominations.check", public_id=public_id))
        db.session.commit()
        return redirect(url_for("nominations.sent", public_id=nomination.public_id))
    return render_template("nominations/check.html", nomination=nomination, form=form, missing=missing, eligibility=result, steps=BY_SLUG)


@bp.get("/nominations/<uuid:public_id>/sent")
@roles_required(Role.NOMINATOR, pending_ok=True)
def sent(public_id):
    nomination = _nomination(public_id)
    require(nomination.status == NominationStatus.SENT, 404)
    return render_template("nominations/sent.html", nomination=nomination)


@bp.route("/nominations/<uuid:public_id>/withdraw", methods=["GET", "POST"])
@roles_required(Role.NOMINATOR, pending_ok=True)
def withdraw(public_id):
    nomination = _nomination(public_id)
    require(nomination.status != NominationStatus.WITHDRAWN, 404)
    if not nomination.event.nominations_open():
        return _closed(nomination)
    form = forms.WithdrawForm()

    def withdraw_it() -> Done:
        if form.confirm.data != "yes":
            return Done(url_for("home.nominator"))  # kept: nothing changes, nothing to say
        services.withdraw_nomination(nomination)
        return Done(url_for("home.nominator"), f"Your nomination of {nomination.first_name or 'this young person'} has been withdrawn.")

    return form_page(form, "nominations/withdraw.html", withdraw_it, nomination=nomination)
