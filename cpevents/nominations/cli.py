"""`flask nominations daily-summary`: one email a day to organisers, not one per nomination."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select

from cpevents.accounts.models import User, UserRole
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.core.urls import absolute_url
from cpevents.events.models import Event
from cpevents.extensions import db
from cpevents.mail.services import queue_email
from cpevents.nominations.review import daily_counts

nominations_cli = AppGroup("nominations", help="Nomination jobs.")


@nominations_cli.command("daily-summary")
def daily_summary() -> None:
    """Email every organiser how many nominations were sent in the last 24 hours (run it once a day from cron)."""
    counts = daily_counts(utcnow() - timedelta(hours=24))
    if not counts:
        click.echo("No new nominations in the last 24 hours: no email sent.")
        return
    events = {e.id: e for e in db.session.execute(select(Event).where(Event.id.in_(counts))).scalars()}
    lines = [(events[event_id].name, n, absolute_url("review.index", public_id=events[event_id].public_id)) for event_id, n in counts.items()]
    organisers = db.session.execute(
        select(User).join(UserRole).where(UserRole.role == Role.ORGANISER, User.deactivated_at.is_(None))
    ).scalars().all()
    for organiser in organisers:
        queue_email("nominations/daily_summary", to=organiser.email, user=organiser, subject="New nominations today", name=organiser.name, lines=lines)
    db.session.commit()
    click.echo(f"Summary of {sum(counts.values())} nominations queued for {len(organisers)} organisers.")
