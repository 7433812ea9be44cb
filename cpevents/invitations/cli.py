"""`flask invitations remind`: run daily by cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cpevents.extensions import db
from cpevents.invitations import services

invitations_cli = AppGroup("invitations", help="Invitations: reminders and the waiting list.")


@invitations_cli.command("remind")
def remind() -> None:
    """Email those who have not replied, 7 and 2 days before the reply date (never the same
    reminder twice), pass on places whose offer has ended, and delete replies started and left
    for 2 days. Safe to run more than once a day."""
    expired = services.expire_offers()
    db.session.commit()
    sent = services.send_reminders()
    db.session.commit()
    drafts = services.delete_old_drafts()
    db.session.commit()
    click.echo(f"Reminders queued: {sent}. Offers of a place that ended: {expired}. Replies started and left, deleted: {drafts}.")
