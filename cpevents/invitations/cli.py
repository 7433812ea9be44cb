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
    reminder twice), and pass on places whose offer has ended. Safe to run more than once a day."""
    expired = services.expire_offers()
    db.session.commit()
    sent = services.send_reminders()
    db.session.commit()
    click.echo(f"Reminders queued: {sent}. Offers of a place that ended: {expired}.")
