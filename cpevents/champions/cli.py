"""`flask champions renewals`: the daily job for champions' 12-month terms."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cpevents.champions.services import send_renewals
from cpevents.extensions import db

champions_cli = AppGroup("champions", help="Corporate Parenting Champion jobs.")


@champions_cli.command("renewals")
def renewals() -> None:
    """Email champions a month before their 12 months end (once), and end the role of those whose time has run out. Run it once a day."""
    counts = send_renewals()
    db.session.commit()
    click.echo(f"Renewal reminders queued: {counts['reminded']}. Champions whose time ended: {counts['lapsed']}.")
