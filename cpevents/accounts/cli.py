"""`flask users ...`: the first organiser, and sign-in codes for demo accounts."""

from __future__ import annotations

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup

from cpevents.accounts import services
from cpevents.accounts.models import user_by_email
from cpevents.config import demo_allowed
from cpevents.extensions import db

users_cli = AppGroup("users", help="Manage accounts from the command line.")


@users_cli.command("create-organiser")
@click.argument("email")
@click.option("--name", default="Organiser", help="Their full name, shown to other organisers.")
def create_organiser(email: str, name: str) -> None:
    """Create the first organiser and email them a link to set a password."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    user = services.create_first_organiser(email, name)
    db.session.commit()
    click.echo(f"Organiser account ready for {user.email}. We have emailed them a link to set a password (it works for 7 days).")


@users_cli.command("demo-code")
@click.argument("email")
def demo_code(email: str) -> None:
    """Print the current second-factor code of a demo account (refuses for real accounts)."""
    if not demo_allowed(current_app.config):
        raise click.ClickException("Demo sign-in codes are only for CPEVENTS_ENV=development or test, never in production.")
    user = user_by_email(email)
    if user is None or not user.is_demo:
        raise click.ClickException("That is not a demo account. Codes are only printed for demo data.")
    if not user.totp_secret:
        raise click.ClickException("That demo account has no second factor.")
    click.echo(pyotp.TOTP(user.totp_secret).now())


__all__ = ["users_cli"]
