"""The young person's feedback pages, reached through their personal feedback link.

As with invitations (cpevents/invitations/rsvp_views.py): `/f/<token>` only looks the link up
(email scanners open links, so it writes nothing), keeps the link's id in the signed session and
sends the visitor to `/feedback`, an address with no token in it. Every page re-checks the link
and sends `Referrer-Policy: no-referrer`, `Cache-Control: no-store` and `X-Robots-Tag: noindex`.
Unknown, malformed and expired links all get the same "This link does not work" page.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from sqlalchemy import select

from cpevents.core import ratelimits
from cpevents.core.access import token_link
from cpevents.core.personal_links import link_does_not_work, start_visit
from cpevents.core.security import private_link_headers
from cpevents.events.models import Event
from cpevents.extensions import db, limiter
from cpevents.feedback import queries, services
from cpevents.feedback.forms import FeedbackForm
from cpevents.feedback.models import FeedbackLink
from cpevents.invitations.models import Invitation

bp = Blueprint("feedback_link", __name__)
KEY = "feedback"


@bp.after_request
def _private(response):
    return private_link_headers(response)


def _link_does_not_work():
    return link_does_not_work(KEY)


@bp.get("/f/<token>")
@token_link
@limiter.limit(ratelimits.token_limit)
def open_link(token):
    return start_visit(KEY, services.find_link(token), "feedback_link.questions")


def _visit() -> tuple[FeedbackLink, Event] | None:
    state = session.get(KEY)
    if not isinstance(state, dict) or not isinstance(state.get("link"), int):
        return None
    row = db.session.execute(
        select(FeedbackLink, Event).join(Invitation, FeedbackLink.invitation_id == Invitation.id).join(Event, Invitation.event_id == Event.id)
        .where(FeedbackLink.id == state["link"])
    ).first()
    if row is None or not row[0].works():
        return None
    return row[0], row[1]


@bp.route("/feedback", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit, methods=["POST"])
def questions():
    visit = _visit()
    if visit is None:
        return _link_does_not_work()
    link, event = visit
    if queries.answered(link.invitation_id):
        return render_template("feedback/already.html", event=event, action=queries.sent_action(event.id))
    form = FeedbackForm()
    if request.method == "GET":
        return render_template("feedback/questions.html", event=event, form=form, action=queries.sent_action(event.id))
    if not form.validate_on_submit():
        return render_template("feedback/questions.html", event=event, form=form, action=queries.sent_action(event.id)), 400
    saved = services.record_answers(link, form.answers())
    db.session.commit()
    if not saved:
        return render_template("feedback/already.html", event=event, action=queries.sent_action(event.id))
    return redirect(url_for("feedback_link.thank_you"))


@bp.get("/feedback/thank-you")
@token_link
def thank_you():
    visit = _visit()
    if visit is None:
        return _link_does_not_work()
    link, event = visit
    if not queries.answered(link.invitation_id):
        return redirect(url_for("feedback_link.questions"))
    return render_template("feedback/thank_you.html", event=event, action=queries.sent_action(event.id))
