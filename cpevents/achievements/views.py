"""The achievement log: workers record small achievements for the young people linked to them,
print a certificate, and start a PROUD nomination from one."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from cpevents.achievements import queries, services
from cpevents.achievements.certificate import certificate_filename, certificate_text
from cpevents.achievements.forms import AchievementForm
from cpevents.achievements.models import Achievement, AchievementArea
from cpevents.champions.services import champion_lapsed
from cpevents.core import certificates
from cpevents.core.access import load_or_404, require, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.paging import clamp_page, page_count, requested_page
from cpevents.events.models import Event
from cpevents.events.queries import open_for_nominations
from cpevents.extensions import db
from cpevents.young_people.queries import with_workers

bp = Blueprint("achievements", __name__)

WORKERS = (Role.NOMINATOR, Role.CHAMPION)


def _linked_young_person(public_id):
    """A young person linked to the signed-in worker; anyone else's does not exist for them."""
    person = with_workers(str(public_id))
    if person is None or person.is_merged or not services.is_linked(person, current_user):
        abort(404)
    return person


def _lapsed_page():
    return render_template("achievements/lapsed.html"), 403


@bp.get("/your-young-people/<uuid:public_id>/achievements")
@roles_required(*WORKERS)
def for_young_person(public_id):
    person = _linked_young_person(public_id)
    return render_template("achievements/young_person.html", person=person, achievements=queries.for_young_person(person),
                           lapsed=champion_lapsed(current_user))


@bp.route("/your-young-people/<uuid:public_id>/achievements/new", methods=["GET", "POST"])
@roles_required(*WORKERS)
def new(public_id):
    person = _linked_young_person(public_id)
    if champion_lapsed(current_user):
        return _lapsed_page()
    form = AchievementForm()
    if request.method == "GET":
        return render_template("achievements/form.html", form=form, person=person)
    if not form.validate_on_submit():
        return render_template("achievements/form.html", form=form, person=person), 400
    try:
        achievement = services.record_achievement(
            person, by=current_user, achieved_on=answer(form.achieved_on.data), area=AchievementArea(form.area.data),
            description=answer(form.description.data), celebrated_with=answer(form.celebrated_with.data),
        )
    except services.AchievementError as error:
        add_error(form.description, str(error))
        return render_template("achievements/form.html", form=form, person=person), 400
    db.session.commit()
    flash(f"Achievement saved for {person.shown_name}. You can now print their certificate.", "success")
    return redirect(url_for("achievements.show", public_id=achievement.public_id))


def _achievement(public_id) -> Achievement:
    achievement = load_or_404(Achievement, public_id=str(public_id))
    require(achievement.can_view(current_user), 404)  # someone else's young person does not exist for you
    return achievement


@bp.get("/achievements/<uuid:public_id>")
@roles_required(Role.NOMINATOR, Role.CHAMPION, Role.ORGANISER)
def show(public_id):
    achievement = _achievement(public_id)
    can_nominate = (
        current_user.has_role(Role.NOMINATOR) and services.is_linked(achievement.young_person, current_user) and achievement.nomination_id is None
    )
    return render_template("achievements/show.html", achievement=achievement, person=achievement.young_person,
                           events=open_for_nominations() if can_nominate else [], can_nominate=can_nominate, form=ConfirmForm(formdata=None))


@bp.get("/achievements/<uuid:public_id>/certificate.pdf")
@roles_required(Role.NOMINATOR, Role.CHAMPION, Role.ORGANISER)
def certificate(public_id):
    achievement = _achievement(public_id)
    pdf = certificates.certificate_pdf(certificate_text(achievement), certificates.settings_from(current_app.config))
    services.note_certificate(achievement, by=current_user)
    db.session.commit()
    return certificates.pdf_download(pdf, certificate_filename(achievement))


@bp.post("/achievements/<uuid:public_id>/nominate/<uuid:event_id>")
@roles_required(Role.NOMINATOR)
def nominate(public_id, event_id):
    achievement = _achievement(public_id)
    event = load_or_404(Event, public_id=str(event_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not event.nominations_open():
        return render_template("nominations/closed.html", event=event)
    if achievement.nomination_id is not None:
        flash("A nomination has already been started from this achievement.", "error")
        return redirect(url_for("achievements.show", public_id=achievement.public_id))
    try:
        nomination = services.nominate_from(achievement, event, by=current_user)
    except services.AchievementError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("achievements.show", public_id=achievement.public_id))
    db.session.commit()
    flash("We have started a nomination with their details and this achievement. Check each page and add anything the panel should know.", "success")
    return redirect(url_for("nominations.step", public_id=nomination.public_id, slug="young-person"))


@bp.get("/achievements")
@roles_required(Role.NOMINATOR, Role.CHAMPION, Role.ORGANISER)
def celebrated():
    page = requested_page()
    rows, total = queries.celebrated(current_user, current_user.has_role(Role.ORGANISER), page)
    return render_template("achievements/celebrated.html", achievements=rows, total=total, page=clamp_page(page, total, queries.PAGE_SIZE), pages=page_count(total, queries.PAGE_SIZE))
