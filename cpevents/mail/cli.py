"""`flask outbox work`: the worker that sends the outbox."""

from __future__ import annotations

import signal
import time

import click
from flask.cli import AppGroup

from cpevents.extensions import db
from cpevents.mail.services import work_once

outbox_cli = AppGroup("outbox", help="Send the queued email.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send everything due now, then exit.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks at the outbox.")
def work(once: bool, interval: float) -> None:
    """Send queued email over SMTP, retrying failures with growing back-off. Safe to run
    several at once on PostgreSQL; on SQLite run one."""
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        result = work_once()
        db.session.remove()
        if any(result.values()):
            click.echo(f"outbox: {result['sent']} sent, {result['retry']} to retry, {result['failed']} failed", err=True)
        if once or stopping:
            return
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stopping:
            time.sleep(0.1)
