"""`flask seed-demo`: demo data so a newcomer sees a living system. Idempotent.

Demo passwords exist only here, and the command refuses to run in production.
Later features add their own demo data to seed_demo().
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from cpevents.accounts.models import User, user_by_email
from cpevents.accounts.passwords import hash_password
from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.extensions import db

# email, name, organisation, job title, roles, password, fixed TOTP secret (or None)
DEMO_ACCOUNTS = [
    ("organiser@demo.example.org", "Olivia Organiser", "Participation and children's rights team", "Participation officer", [Role.ORGANISER], "demo organiser password", "JBSWY3DPEHPK3PXPORGANISERDEMO234"),
    ("nominator@demo.example.org", "Nadia Nominator", "Children's social care", "Social worker", [Role.NOMINATOR], "demo nominator password", None),
    ("judge@demo.example.org", "Jamal Judge", "Corporate Parenting Board", "Panel member", [Role.JUDGE], "demo judge password", None),
    ("young.judge@demo.example.org", "Yasmin", "Children in Care Council", "Young judge (care-experienced)", [Role.JUDGE], "demo young judge password", None),
    ("champion@demo.example.org", "Chris Champion", "Libraries", "Library service manager", [Role.CHAMPION], "demo champion password", None),
    ("board@demo.example.org", "Bea Board", "Corporate Parenting Board", "Councillor", [Role.BOARD], "demo board password", "JBSWY3DPEHPK3PXPBOARDDEMO2345672"),
]

YOUNG_JUDGE_EMAIL = "young.judge@demo.example.org"


def seed_demo() -> dict:
    accounts = []
    for email, name, organisation, job_title, roles, password, secret in DEMO_ACCOUNTS:
        user = user_by_email(email)
        if user is None:
            user = User(email=email, name=name)
            db.session.add(user)
        if not user.is_demo and user.password_hash is not None and user.id is not None:
            raise click.ClickException(f"{email} is a real account; refusing to overwrite it with demo data")
        user.name, user.organisation, user.job_title = name, organisation, job_title
        user.is_demo = True
        user.deactivated_at = None
        user.password_hash = hash_password(password)
        user.email_verified_at = user.email_verified_at or utcnow()
        user.set_roles(set(roles))
        if secret:
            if user.totp_secret != secret:
                user.totp_last_step = None
            user.totp_secret = secret
            user.totp_enabled_at = user.totp_enabled_at or utcnow()
        db.session.flush()
        accounts.append(
            {
                "email": email,
                "name": name,
                "password": password,
                "roles": [r.value for r in roles],
                "totp_secret": secret,
                "young_judge": email == YOUNG_JUDGE_EMAIL,
            }
        )
    return {"accounts": accounts}


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts as JSON for scripts and tests.")
@with_appcontext
def seed_demo_command(as_json: bool) -> None:
    """Create (or refresh) the demo accounts and data."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    data = seed_demo()
    db.session.commit()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo("Demo accounts (sign in at /sign-in):")
    for account in data["accounts"]:
        extra = "  second factor: run `flask users demo-code " + account["email"] + "`" if account["totp_secret"] else ""
        click.echo(f"  {', '.join(account['roles']):<10} {account['email']:<32} password: {account['password']}{extra}")
