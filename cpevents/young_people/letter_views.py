"""The organisers' one list of letters still to hand over (issue 17): every kind, every event.

Printing again is a POST whose answer is the PDF with a fresh link (the old link stops): the link
is never on a page, in a URL or in the database. Handing over is a POST too.
"""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import ConfirmForm
from cpevents.core.paging import paged
from cpevents.core.security import private_link_headers
from cpevents.extensions import db
from cpevents.young_people import letters as services
from cpevents.young_people.letters import WorkerLetter

bp = Blueprint("letters", __name__, url_prefix="/letters")

LETTERS_PAGE_SIZE = 50


@bp.get("")
@roles_required(Role.ORGANISER)
def index():
    listed = paged(services.to_hand_over(), LETTERS_PAGE_SIZE)
    return render_template("young_people/letters.html", letters=listed.rows, total=listed.total, page=listed.page, pages=listed.pages)


@bp.post("/<uuid:public_id>/print")
@roles_required(Role.ORGANISER)
def print_again(public_id):
    letter = load_or_404(WorkerLetter, public_id=str(public_id))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("letters.index"))
    try:
        pdf = services.print_again(letter, by=current_user)
    except services.LetterError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for("letters.index"))
    db.session.commit()
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{letter.kind.value}-letter.pdf"'
    return private_link_headers(response)


@bp.post("/<uuid:public_id>/handed-over")
@roles_required(Role.ORGANISER)
def handed_over(public_id):
    letter = load_or_404(WorkerLetter, public_id=str(public_id))
    if ConfirmForm().validate_on_submit():
        services.mark_handed_over(letter, by=current_user)
        db.session.commit()
        flash(f"Marked as handed over: the {letter.kind.label.lower()} letter for {letter.young_person.full_name}.", "success")
    return redirect(url_for("letters.index"))

