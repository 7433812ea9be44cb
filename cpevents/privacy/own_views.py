"""A young person's own information, through their personal link (issue 14).

The pages sit behind the same session as the invitation pages (`/i/<token>` keeps only the link's
id in the session; see cpevents/invitations/rsvp_views.py): a link that no longer works shows the
same "link does not work" page, and "check it's you" comes first when it is asked for. For a young
person with a contact restriction, their information is shown only once "check it's you" has
been passed (as for the venue): a link in the wrong hands shows only what we do and why.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, url_for

from cpevents.audit.models import AuditAction
from cpevents.audit.services import record
from cpevents.core import ratelimits
from cpevents.core.access import token_link
from cpevents.core.security import private_link_headers
from cpevents.extensions import db, limiter
from cpevents.invitations.rsvp_views import _link_does_not_work, _visit
from cpevents.privacy import subject_access

bp = Blueprint("privacy_own", __name__)


@bp.after_request
def _private(response):
    return private_link_headers(response)


def _checked_visit():
    """The visit, or the response to send instead (link does not work, or check it's you first)."""
    visit = _visit()
    if visit is None:
        return None, _link_does_not_work()
    if not visit.checked:
        return None, redirect(url_for("rsvp.check_its_you"))
    return visit, None


@bp.get("/invitation/what-we-hold")
@token_link
@limiter.limit(ratelimits.token_limit)
def what_we_hold():
    visit, refusal = _checked_visit()
    if refusal:
        return refusal
    data = subject_access.own_data(visit.person) if visit.show_private else None
    return render_template("privacy/what_we_hold.html", data=data, **visit.context())


def _download(visit, what: str) -> None:
    """A young person taking a copy is in their audit trail (no actor: it was them, by link)."""
    record(None, AuditAction.EXPORTED, visit.person, young_person=visit.person, detail=f"own copy ({what}) through their personal link")
    db.session.commit()


def _own_copy(kind: str, body, mimetype: str, extension: str):
    """Their own copy as a file: the same checks as the page, and a line in their audit trail."""
    visit, refusal = _checked_visit()
    if refusal:
        return refusal
    if not visit.show_private:
        return redirect(url_for("privacy_own.what_we_hold"))
    data = subject_access.own_data(visit.person)
    _download(visit, kind)
    return Response(body(data), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="what-we-hold-about-you.{extension}"'})


@bp.get("/invitation/what-we-hold.json")
@token_link
@limiter.limit(ratelimits.token_limit)
def what_we_hold_json():
    return _own_copy("json", subject_access.to_json, "application/json", "json")


@bp.get("/invitation/what-we-hold.html")
@token_link
@limiter.limit(ratelimits.token_limit)
def what_we_hold_html():
    return _own_copy("page", subject_access.summary_html, "text/html", "html")
