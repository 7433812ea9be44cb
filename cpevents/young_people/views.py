"""Young people's records. Organisers list, search, add, change, merge and see the audit trail;
workers see the young people their own work links them to."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpevents.audit.queries import trail_for
from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, answer
from cpevents.core.paging import clamp_page, page_count, requested_page
from cpevents.core.phones import shown_mobile
from cpevents.core.time import london
from cpevents.core.views import Done, form_page
from cpevents.extensions import db
from cpevents.mail.texts import texts_enabled
from cpevents.young_people import queries, services
from cpevents.young_people.forms import LinkWorkerForm, MergeForm, SearchForm, YoungPersonForm
from cpevents.young_people.models import WorkerRelationship, YoungPerson, YoungPersonWorker

bp = Blueprint("young_people", __name__, url_prefix="/young-people")


def _load(public_id) -> YoungPerson:
    person = queries.with_workers(str(public_id))
    if person is None:
        abort(404)
    return person


def _show_url(person: YoungPerson) -> str:
    return url_for("young_people.show", public_id=person.public_id)


@bp.get("")
@roles_required(Role.ORGANISER)
def index():
    form = SearchForm(request.args)
    if not form.validate():
        return render_template("young_people/index.html", form=form, people=[], total=0, page=1, pages=1), 400
    page = requested_page()
    people, total = queries.search_young_people(form.q.data or "", form.care_status.data or "", form.flag.data or "", page)
    return render_template("young_people/index.html", form=form, people=people, total=total, page=clamp_page(page, total, queries.PAGE_SIZE), pages=page_count(total, queries.PAGE_SIZE))


def _form(person: YoungPerson | None = None, **kwargs) -> YoungPersonForm:
    """The mobile fields only when texts are set up (issue 17), or to change a number kept from before."""
    form = YoungPersonForm(**kwargs)
    return form if texts_enabled() or (person is not None and person.mobile) else form.without_texts()


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new():
    form = _form()

    def add() -> Done:
        person = services.create_young_person(form.values(), by=current_user)
        return Done(_show_url(person), f"Record added for {person.full_name}.")

    return form_page(form, "young_people/form.html", add, person=None)


@bp.get("/<uuid:public_id>")
@roles_required(Role.ORGANISER)
def show(public_id):
    person = _load(public_id)
    if person.is_merged:
        kept = known(db.session.get(YoungPerson, person.merged_into_id), "a merge keeps the other record")
        flash("This record was merged into another one. You are now looking at the record that was kept.")
        return redirect(url_for("young_people.show", public_id=kept.public_id))
    services.view_young_person(person, by=current_user)
    page = render_template("young_people/show.html", person=person, link_form=LinkWorkerForm(formdata=None), confirm=ConfirmForm(),
                           texts_on=texts_enabled())
    db.session.commit()  # committed after rendering: a commit expires every loaded row, and the page would load them all again (issue 19)
    return page


@bp.route("/<uuid:public_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit(public_id):
    person = _load(public_id)
    require(person.can_manage(current_user) and not person.is_merged, 404)
    form = _form(person, obj=person) if request.method == "GET" else _form(person)
    if request.method == "GET":
        form.care_status.data = person.care_status.value
        form.name_shown.data = person.name_shown.value
        if "mobile" in form:
            form.mobile.data = shown_mobile(person.mobile) if person.mobile else ""
            form.mobile_agreed.data = person.mobile_agreed_at is not None

    def save() -> Done:
        changed = services.update_young_person(person, form.values(), by=current_user)
        return Done(_show_url(person), "Changes saved." if changed else "Nothing was changed.")

    return form_page(form, "young_people/form.html", save, person=person)


@bp.post("/<uuid:public_id>/workers")
@roles_required(Role.ORGANISER)
def link_worker(public_id):
    person = _load(public_id)
    form = LinkWorkerForm()

    def link() -> Done:
        services.link_worker(person, answer(form.email.data), WorkerRelationship(form.relationship.data), by=current_user)
        return Done(_show_url(person), "Worker linked for 12 months. They can now see the name this young person chose to be shown, "
                    "their age, their invitations and their achievements.")

    return form_page(form, "young_people/show.html", link, fails=(services.YoungPersonError,), error_field="email",
                     person=person, link_form=form, confirm=ConfirmForm())


def _worker_link(public_id, link_id) -> tuple[YoungPerson, YoungPersonWorker]:
    """The young person and one of their worker links (another record's link is a 404)."""
    person = _load(public_id)
    link = load_or_404(YoungPersonWorker, public_id=str(link_id))
    require(link.young_person_id == person.id, 404)
    return person, link


@bp.post("/<uuid:public_id>/workers/<uuid:link_id>/remove")
@roles_required(Role.ORGANISER)
def unlink_worker(public_id, link_id):
    person, link = _worker_link(public_id, link_id)
    if ConfirmForm().validate_on_submit():
        services.unlink_worker(link, by=current_user)
        db.session.commit()
        flash(f"Link ended. {link.user.name} can no longer see anything about {person.first_or_preferred}.", "success")
    return redirect(url_for("young_people.show", public_id=person.public_id))


@bp.post("/<uuid:public_id>/workers/<uuid:link_id>/renew")
@roles_required(Role.ORGANISER)
def renew_worker(public_id, link_id):
    person, link = _worker_link(public_id, link_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.renew_worker_link(link, by=current_user)
        except services.YoungPersonError as error:
            flash(str(error))
        else:
            db.session.commit()
            flash(f"Link renewed: {link.user.name} stays linked until {london(link.expires_at, '%-d %B %Y')}.", "success")
    return redirect(url_for("young_people.show", public_id=person.public_id))


@bp.get("/<uuid:public_id>/audit")
@roles_required(Role.ORGANISER)
def audit(public_id):
    person = _load(public_id)
    return render_template("young_people/audit.html", person=person, entries=trail_for(queries.merged_ids(person)))


@bp.get("/duplicates")
@roles_required(Role.ORGANISER)
def duplicates():
    return render_template("young_people/duplicates.html", pairs=services.find_duplicates())


@bp.route("/merge/<uuid:first_id>/<uuid:second_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def merge(first_id, second_id):
    first, second = _load(first_id), _load(second_id)
    require(first.id != second.id and not first.is_merged and not second.is_merged, 404)
    form = MergeForm()
    form.keep.choices = [(first.public_id, _choice_label(first)), (second.public_id, _choice_label(second))]

    def merge_them() -> Done:
        keep, merge_away = (first, second) if form.keep.data == first.public_id else (second, first)
        services.merge_young_people(keep, merge_away, by=current_user)
        return Done(_show_url(keep), f"Records merged. Everything attached to both now belongs to {keep.full_name}'s record.")

    return form_page(form, "young_people/merge.html", merge_them, first=first, second=second)


def _choice_label(person: YoungPerson) -> str:
    return f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}, added {person.created_at:%-d %B %Y}"


# --- workers' own view ---------------------------------------------------------------------------

mine_bp = Blueprint("my_young_people", __name__)


@mine_bp.get("/your-young-people")
@roles_required(Role.NOMINATOR, Role.CHAMPION)
def index_mine():
    return render_template("young_people/mine.html", rows=queries.linked_rows(current_user))
