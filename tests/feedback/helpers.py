"""Factories for feedback tests."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.feedback import services
from cpevents.invitations.models import InvitationStatus, ReplyHow
from tests.invitations.helpers import invited, make_event, post


def past_event(replied: int = 3, no_email: int = 0, unreplied: int = 1, hours_ago: int = 3):
    """An event that started a few hours ago, with young people who replied (some with no email)
    and some who did not."""
    event, organiser = make_event(days=1, reply_in_days=None)
    event.starts_at = utcnow() - timedelta(hours=hours_ago)
    replied_list = []
    for i in range(replied + no_email):
        invitation = invited(event, organiser, email="" if i < replied else None)
        invitation.status = InvitationStatus.COMING
        invitation.replied_at = utcnow() - timedelta(days=5)
        invitation.replied_how = ReplyHow.LINK
        replied_list.append(invitation)
    others = [invited(event, organiser) for _ in range(unreplied)]
    db.session.commit()
    return event, organiser, replied_list, others


def closed_event(**kw):
    event, organiser, replied, others = past_event(**kw)
    with current_app.test_request_context():
        services.close_event(event, by=organiser)
    db.session.commit()
    return event, organiser, replied, others


def feedback_link(invitation) -> str:
    with current_app.test_request_context():
        url = services.issue_link(invitation)
    db.session.commit()
    return "/f/" + url.rsplit("/f/", 1)[1]


def answer(client, **data):
    return post(client, "/feedback", data)
