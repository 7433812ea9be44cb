"""Organisers review nominations: match them to young people's records, read each file, and
decide (accept for judging, not eligible, change the award, review safety answers, split)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.cache import PartCache, current_version
from cpevents.core.enums import Role
from cpevents.core.forms import add_error
from cpevents.core.paging import clamp_page, page_count, requested_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.nominations import exports, queries, review
from cpevents.nominations.models import Nomination, NominationStatus
from cpevents.nominations.review_forms import (
    CategoryMoveForm,
    ExportForm,
    FilesFilterForm,
    MatchForm,
    ReasonForm,
    RequiredReasonForm,
)
from cpevents.young_people.services import YoungPersonError

bp = Blueprint("review", __name__)


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


def _file(public_id):
    file = queries.file_with_everything(str(public_id))
    require(file is not None, 404)
    return file


# The list is the organisers' busiest page; its body is kept per data version (cpevents/core/cache.py).
LIST_BODIES = PartCache()


@bp.get("/events/<uuid:public_id>/nominations")
@roles_required(Role.ORGANISER)
def index(public_id):
    version = current_version(queries.DATA_VERSION)
    key = (str(public_id), tuple(sorted(request.args.items(multi=True))), version)
    part = LIST_BODIES.get(key) if version else None
    if part is None:
        event = _event(public_id)
        form = FilesFilterForm(request.args)
        form.category.choices = [("", "Any")] + [(c.public_id, c.name) for c in event.categories]
        if not form.validate():
            body = render_template("review/_files.html", event=event, form=form, files=[], total=0, page=1, pages=1, counts={}, to_match=0, export=ExportForm(formdata=None))
            return render_template("review/index.html", event_name=event.name, event_public_id=event.public_id, body=Markup(body), form=form), 400  # noqa: S704 - autoescaped template output
        page = requested_page()
        files, total = queries.files(
            event.id, q=form.q.data or "", category=form.category.data or "", status=form.status.data or "",
            flagged=bool(form.flagged.data), district=form.district.data or "", page=page,
        )
        body = render_template(
            "review/_files.html", event=event, form=form, files=files, total=total, page=clamp_page(page, total, queries.PAGE_SIZE), pages=page_count(total, queries.PAGE_SIZE),
            counts=queries.counts_by_category(event.id), to_match=queries.to_match_count(event.id), export=ExportForm(formdata=None),
        )
        part = (event.name, event.public_id, Markup(body))  # noqa: S704 - autoescaped template output
        if version:
            LIST_BODIES.put(key, part)
    event_name, event_public_id, body = part
    return render_template("review/index.html", event_name=event_name, event_public_id=event_public_id, body=body)


@bp.get("/events/<uuid:public_id>/nominations/to-match")
@roles_required(Role.ORGANISER)
def to_match(public_id):
    event = _event(public_id)
    items = [(n, review.likely_matches(n)) for n in queries.to_match(event.id)]
    return render_template("review/to_match.html", event=event, items=items)


def _match_form(nomination: Nomination, candidates) -> MatchForm:
    form = MatchForm()
    form.person.choices = [(p.public_id, f"{p.full_name}, born {p.date_of_birth:%-d %B %Y}{', ' + p.district if p.district else ''}") for p in candidates]
    form.person.choices.append(("new", "None of these: make a new record from this nomination"))
    return form


@bp.route("/nominations/<uuid:public_id>/match", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def match(public_id):
    nomination = load_or_404(Nomination, public_id=str(public_id))
    require(nomination.status == NominationStatus.SENT and nomination.file_id is None, 404)
    candidates = review.likely_matches(nomination)
    form = _match_form(nomination, candidates)
    nominator = nomination.nominator
    if request.method == "POST" and form.validate_on_submit():
        link = bool(form.link_nominator.data)
        if link and not nominator.is_approved:
            add_error(form.link_nominator, f"{nominator.name}'s account is waiting for approval. Approve it on their page in People first, or leave this unticked.")
        else:
            try:
                if form.person.data == "new":
                    person = review.create_record_from(nomination, by=current_user, link_nominator=link)
                else:
                    person = next(p for p in candidates if p.public_id == form.person.data)
                    already = person.has_current_worker(nominator)
                    review.match_nomination(nomination, person, by=current_user, reason="Matched by an organiser", link_nominator=link and not already)
            except YoungPersonError as error:
                db.session.rollback()
                add_error(form.link_nominator, str(error))
            else:
                db.session.commit()
                linked = f" {nominator.name} is now linked to them for 12 months." if link else ""
                done = f"Nomination added to {person.full_name}’s file.{linked}"
                following = queries.next_to_match(nomination.event_id)
                if following is None:  # on to the file it joined, which waits for review
                    back = _list_link(url_for("review.index", public_id=nomination.event.public_id))
                    flash(Markup("{} Every nomination has been matched. {}").format(done, back), "success")
                    return redirect(url_for("review.file", public_id=nomination.file.public_id))
                back = _list_link(url_for("review.to_match", public_id=nomination.event.public_id))
                flash(Markup("{} Next nomination to match: {}. {}").format(done, following.young_person_name, back), "success")
                return redirect(url_for("review.match", public_id=following.public_id))
    status = 400 if request.method == "POST" else 200
    return render_template("review/match.html", nomination=nomination, nominator=nominator, form=form), status


@bp.get("/nomination-files/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def file(public_id):
    file = _file(public_id)
    record(current_user, AuditAction.VIEWED, file, young_person=file.young_person)
    page = render_template("review/file.html", file=file, **_action_forms(file))
    db.session.commit()  # committed after rendering: a commit expires every loaded row, and the page would load them all again (issue 19)
    return page


# Several forms share the file page; a prefix keeps their fields' names and ids apart.
PREFIXES = {"accept_form": "accept", "not_eligible_form": "ineligible", "flags_form": "safety", "move_form": "award"}


def _action_forms(file, **overrides) -> dict:
    move = CategoryMoveForm(formdata=None, prefix=PREFIXES["move_form"])
    move.category.choices = [(c.public_id, c.name) for c in file.event.categories]
    move.category.data = file.category.public_id if file.category else None
    forms = {
        "accept_form": ReasonForm(formdata=None, prefix=PREFIXES["accept_form"]),
        "not_eligible_form": RequiredReasonForm(formdata=None, prefix=PREFIXES["not_eligible_form"]),
        "flags_form": RequiredReasonForm(formdata=None, prefix=PREFIXES["flags_form"]),
        "move_form": move,
    }
    forms.update(overrides)
    return forms


def _list_link(href: str) -> Markup:
    return Markup('<a class="govuk-notification-banner__link" href="{}">Back to the list</a>').format(href)


def _on_to_next_file(file, done: str):
    """After a decision, the next file still to review ("Next file: …", the list beside it); when
    none is left, this file again, saying so."""
    back = _list_link(url_for("review.index", public_id=file.event.public_id))
    following = queries.next_file_to_review(file)
    if following is None:
        flash(Markup("{} No files are left to review. {}").format(done, back), "success")
        return redirect(url_for("review.file", public_id=file.public_id))
    flash(Markup("{} Next file: {}. {}").format(done, following.young_person.full_name, back), "success")
    return redirect(url_for("review.file", public_id=following.public_id))


def _decision(public_id, form_cls, name: str, action, success: str, moves_on: bool = False):
    file = _file(public_id)
    form = form_cls(prefix=PREFIXES[name])
    if name == "move_form":
        form.category.choices = [(c.public_id, c.name) for c in file.event.categories]
    if form.validate_on_submit():
        try:
            action(file, form)
        except review.ReviewError as error:
            form.reason.errors = [*form.reason.errors, str(error)]
            db.session.rollback()
            file = _file(public_id)
        else:
            db.session.commit()
            if moves_on:
                return _on_to_next_file(file, f"{file.young_person.full_name}: {success[0].lower()}{success[1:]}")
            flash(success, "success")
            return redirect(url_for("review.file", public_id=file.public_id))
    return render_template("review/file.html", file=file, form=form, **_action_forms(file, **{name: form})), 400


@bp.post("/nomination-files/<uuid:public_id>/accept")
@roles_required(Role.ORGANISER)
def accept(public_id):
    return _decision(public_id, ReasonForm, "accept_form", lambda f, form: review.accept_file(f, reason=form.reason.data or "", by=current_user), "Accepted for judging.",
                     moves_on=True)


@bp.post("/nomination-files/<uuid:public_id>/not-eligible")
@roles_required(Role.ORGANISER)
def not_eligible(public_id):
    return _decision(public_id, RequiredReasonForm, "not_eligible_form", lambda f, form: review.mark_not_eligible(f, reason=form.reason.data, by=current_user),
                     "Marked not eligible. The nominators have been emailed the reason.", moves_on=True)


@bp.post("/nomination-files/<uuid:public_id>/safety-reviewed")
@roles_required(Role.ORGANISER)
def safety_reviewed(public_id):
    return _decision(public_id, RequiredReasonForm, "flags_form", lambda f, form: review.clear_flags(f, reason=form.reason.data, by=current_user), "Safety answers reviewed.")


@bp.post("/nomination-files/<uuid:public_id>/award")
@roles_required(Role.ORGANISER)
def award(public_id):
    def move(f, form):
        category = next(c for c in f.event.categories if c.public_id == form.category.data)
        review.move_category(f, category, reason=form.reason.data or "", by=current_user)

    return _decision(public_id, CategoryMoveForm, "move_form", move, "Award changed.")


@bp.post("/nominations/<uuid:public_id>/move-out")
@roles_required(Role.ORGANISER)
def move_out(public_id):
    nomination = load_or_404(Nomination, public_id=str(public_id))
    require(nomination.file is not None, 404)
    file_id = nomination.file.public_id
    form = ReasonForm()
    if form.validate_on_submit():
        review.move_out(nomination, reason=form.reason.data or "", by=current_user)
        db.session.commit()
        flash("The nomination has been taken out of this file. Match it to the right young person.", "success")
        return redirect(url_for("review.match", public_id=nomination.public_id))
    return redirect(url_for("review.file", public_id=file_id))


@bp.get("/events/<uuid:public_id>/nominations.<any(csv, xlsx):fmt>")
@roles_required(Role.ORGANISER)
def export(public_id, fmt):
    event = _event(public_id)
    include_background = ExportForm(request.args).background.data is True
    stem = f"nominations-{event.event_date.isoformat()}"
    return exports.download_response(event.id, include_background, fmt, stem)

