"""Subject access for organisers: download everything held about one young person or one account
as a ZIP (summary.html and data.json). Each download is in the audit trail."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, redirect, url_for
from flask_login import current_user

from cpevents.accounts.models import User
from cpevents.core.access import load_or_404, roles_required
from cpevents.core.checks import known
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.privacy import subject_access
from cpevents.young_people.models import YoungPerson

bp = Blueprint("privacy_access", __name__)

ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?)?$")


@bp.app_template_test("iso_time")
def _is_iso_time(value) -> bool:
    return isinstance(value, str) and bool(ISO_TIME.match(value))


@bp.app_template_filter("london_text")
def _london_text(value) -> str:
    return subject_access.london_text(value)


def _zip_response(data: dict) -> Response:
    body = subject_access.everything_zip(data)
    # The file name says what it is and when, never whose it is (downloads folders are shared).
    name = f"everything-we-hold-{utcnow():%Y-%m-%d}.zip"
    return Response(body, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/young-people/<uuid:public_id>/everything-we-hold.zip")
@roles_required(Role.ORGANISER)
def young_person_zip(public_id):
    person = load_or_404(YoungPerson, public_id=str(public_id))
    if person.is_merged:
        kept = known(db.session.get(YoungPerson, person.merged_into_id), "a merged record points at the record it was merged into")
        return redirect(url_for("privacy_access.young_person_zip", public_id=kept.public_id))
    if not person.can_manage(current_user):
        abort(404)
    data = subject_access.young_person_data(person)
    subject_access.record_export(person, by=current_user, young_person=person, detail="subject access download")
    db.session.commit()
    return _zip_response(data)


@bp.get("/people/<uuid:public_id>/everything-we-hold.zip")
@roles_required(Role.ORGANISER)
def person_zip(public_id):
    user = load_or_404(User, public_id=str(public_id))
    data = subject_access.account_data(user)
    subject_access.record_export(user, by=current_user, detail="subject access download")
    db.session.commit()
    return _zip_response(data)
