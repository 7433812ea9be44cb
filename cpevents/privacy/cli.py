"""`flask privacy purge`: run daily by cron, like `flask invitations remind`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cpevents.extensions import db
from cpevents.privacy.purge import BATCH, purge

privacy_cli = AppGroup("privacy", help="Data protection: the retention schedule.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted or anonymised, and change nothing.")
@click.option("--batch-size", default=BATCH, show_default=True, help="Rows changed per transaction (ten times as many for the rules that only clear columns: emails and achievements).")
def purge_command(dry_run: bool, batch_size: int) -> None:
    """Delete or anonymise what the retention schedule says is due (see /organiser/retention).
    One audit entry per record; safe to run more than once: a second run finds nothing."""
    results = purge(dry_run=dry_run, batch_size=batch_size, after_batch=None if dry_run else db.session.commit)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be" if dry_run else "were"
    click.echo(("Dry run: nothing changed.\n" if dry_run else "") + f"Records that {verb} deleted or anonymised, by rule:")
    for result in results:
        click.echo(f"  {result.rule.key}: {result.count} ({result.rule.period_words.lower()})")
        if dry_run and result.references:
            shown = result.references[:20]
            more = f" and {result.count - len(shown)} more" if result.count > len(shown) else ""
            click.echo(f"    {', '.join(shown)}{more}")
    click.echo(f"Total: {sum(r.count for r in results)}.")
