"""`flask nominees tell-due`: run daily (by `flask jobs run-due`)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cpevents.extensions import db
from cpevents.nominees import services

nominees_cli = AppGroup("nominees", help="Nominees: telling young people they were nominated.")


@nominees_cli.command("tell-due")
def tell_due() -> None:
    """Tell the young people whose nominator asked to tell them in person first and has not said
    so 14 days after the file was accepted. Never anyone with a contact restriction."""
    told = services.tell_due()
    db.session.commit()
    click.echo(f"Nominees told after 14 days: {told}.")
