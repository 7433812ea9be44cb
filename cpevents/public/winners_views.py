"""The public winners page of an event, and the organisers' page that publishes it (issue 16).

The public pages need no sign-in. An event whose page is not published (never, or unpublished)
is 404, exactly like an event that does not exist. Who is shown is worked out on each request
(`winners.sort_winners`) and never cached: `Cache-Control: no-store`, and no copies kept by
search engines, so a withdrawn consent or an unpublish takes effect at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from cpevents.core.access import load_or_404, public, roles_required
from cpevents.core.enums import Role
from cpevents.core.forms import button_form
from cpevents.core.views import Done, form_page
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.public import winners

bp = Blueprint("winners", __name__)

PublishForm = button_form("Publish the winners page")
UnpublishForm = button_form("Unpublish the winners page")


@bp.after_request
def _no_copies(response):
    """Every page here, the 404 of an unpublished page included: no stored or indexed copy."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, noarchive"
    return response


# --- anyone ---------------------------------------------------------------------------------------------


@bp.get("/winners")
@public
def index():
    return render_template("public/winners_index.html", events=winners.published_events())


@bp.get("/winners/<uuid:public_id>")
@public
def page(public_id):
    event = db.session.execute(db.select(Event).filter_by(public_id=str(public_id))).scalar_one_or_none()
    if event is None or not winners.is_public(event):
        abort(404)
    shown = winners.sort_winners(event).shown
    return render_template("public/winners.html", event=event, winners=shown)


# --- organisers -----------------------------------------------------------------------------------------


def _event(public_id) -> Event:
    return load_or_404(Event, public_id=str(public_id))


def _organiser_page(event: Event) -> str:
    return url_for("winners.manage", public_id=event.public_id)


@bp.get("/events/<uuid:public_id>/winners-page")
@roles_required(Role.ORGANISER)
def manage(public_id):
    """Whether the page is published, a preview of exactly who it shows, and the winners it does
    not show with the reason (organisers only)."""
    event = _event(public_id)
    panel = winners.panel_for(event)
    return render_template("public/winners_manage.html", event=event, panel=panel, published=winners.results_published(panel),
                           page=winners.page_for(event), sorted=winners.sort_winners(event, panel))


@bp.route("/events/<uuid:public_id>/winners-page/publish", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def publish(public_id):
    event = _event(public_id)
    panel = winners.panel_for(event)
    page = winners.page_for(event)
    if page is not None and page.is_published:
        flash("The winners page is already published.")
        return redirect(_organiser_page(event))

    def on_valid() -> Done:
        winners.publish_winners_page(event, by=current_user)
        return Done(_organiser_page(event), "Winners page published. Anyone with the address can now read it.")

    return form_page(PublishForm(), "public/winners_publish.html", on_valid, fails=(winners.WinnersPageError,), error_field="submit",
                     event=event, published=winners.results_published(panel), sorted=winners.sort_winners(event, panel))


@bp.route("/events/<uuid:public_id>/winners-page/unpublish", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def unpublish(public_id):
    event = _event(public_id)
    page = winners.page_for(event)
    if page is None or not page.is_published:
        flash("The winners page is not published.")
        return redirect(_organiser_page(event))

    def on_valid() -> Done:
        winners.unpublish_winners_page(event, by=current_user)
        return Done(_organiser_page(event), "Winners page unpublished. Its address no longer works.")

    return form_page(UnpublishForm(), "public/winners_unpublish.html", on_valid, fails=(winners.WinnersPageError,), error_field="submit",
                     event=event)
