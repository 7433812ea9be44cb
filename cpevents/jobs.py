"""`flask jobs run-due`: every daily job, each at most once a day, safe to call every few minutes
from a systemd timer, a container loop or cron, on one machine or several at once.

A job is due when it has not run today (in the time zone of `JOBS_DAILY_AT`) and the clock has
passed that time (default "02:00 Europe/London"). Its last run is recorded in the database, in the
existing key/value table `data_versions` (name `job:<command>`, value like
`2026-12-03 done 1 02:05`), so no migration is needed and every machine reads the same record. A
job is claimed by compare-and-set (`UPDATE ... WHERE token = <what was read>`): of two machines
calling at once exactly one claims it, on SQLite and PostgreSQL alike. A failed job is recorded
as failed (and the command ends with status 1) and is tried again at the next call, at most
`MAX_ATTEMPTS` times a day; each job commits only when it has done its work, so a retry never
repeats half of it. A claim left `running` by a machine that died is taken over after
`STALE_AFTER`.

This module stands above the domains it runs (nominations, nominees, champions, invitations, privacy),
like `reports`: nothing imports it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from cpevents.core.cache import DataVersion
from cpevents.core.checks import known
from cpevents.core.models import rows_changed
from cpevents.core.time import utcnow
from cpevents.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(hours=3)
PREFIX = "job:"


def _commands() -> dict[str, click.Command]:
    """The daily jobs, in the order they run (the README's "Daily jobs")."""
    from cpevents.champions.cli import renewals
    from cpevents.invitations.cli import remind
    from cpevents.nominations.cli import daily_summary
    from cpevents.nominees.cli import tell_due
    from cpevents.privacy.cli import purge_command

    return {
        "nominations daily-summary": daily_summary,
        "champions renewals": renewals,
        "invitations remind": remind,
        "nominees tell-due": tell_due,
        "privacy purge": purge_command,
    }


DAILY_JOBS = ("nominations daily-summary", "champions renewals", "invitations remind", "nominees tell-due", "privacy purge")


@dataclass(frozen=True)
class Record:
    """What `data_versions` holds for one job: the day (local), the state, attempts that day, and
    the UTC time of the last change (HH:MM) to tell a dead claim from a running one."""

    day: date | None
    state: str  # never, running, done, failed
    attempts: int
    at: time | None

    @classmethod
    def parse(cls, token: str | None) -> Record:
        try:
            day, state, attempts, at = (token or "").split(" ")
            return cls(date.fromisoformat(day), state, int(attempts), time.fromisoformat(at))
        except ValueError:
            return cls(None, "never", 0, None)

    def token(self) -> str:
        day = known(self.day, "only a record of a run is written back")
        return f"{day.isoformat()} {self.state} {self.attempts} {self.at:%H:%M}"


def daily_at(setting: str) -> tuple[time, ZoneInfo]:
    """"02:00 Europe/London" (the zone is optional, Europe/London by default)."""
    clock, _, zone = setting.strip().partition(" ")
    return time.fromisoformat(clock), ZoneInfo(zone.strip() or "Europe/London")


@dataclass
class Outcome:
    job: str
    result: str  # ran, failed, skipped
    why: str = ""


def _read(name: str) -> str | None:
    return db.session.execute(select(DataVersion.token).where(DataVersion.name == name)).scalar_one_or_none()


def _claim(name: str, old: str | None, new: str) -> bool:
    """Compare-and-set on the job's row; True when this caller now owns the run."""
    if old is None:
        try:
            db.session.execute(insert(DataVersion).values(name=name, token=new))
            db.session.commit()
            return True
        except IntegrityError:  # another machine created it first
            db.session.rollback()
            return False
    claimed = rows_changed(db.session.execute(
        update(DataVersion).where(DataVersion.name == name, DataVersion.token == old).values(token=new)
    )) == 1
    db.session.commit()
    return claimed


def _due(record: Record, today: date, now: datetime) -> str | None:
    """None when the job should run now, or the reason it should not."""
    if record.day != today:
        return None
    if record.state == "done":
        return "already ran today"
    if record.state == "failed":
        return None if record.attempts < MAX_ATTEMPTS else f"failed {record.attempts} times today; tries again tomorrow"
    if record.state == "running":
        # `at` is a UTC time of day: the claim was made at its latest occurrence up to now (a
        # minute's grace for clocks that differ). Older than STALE_AFTER: that machine stopped.
        claimed_at = known(record.at, "a running record says when it was claimed")
        started = datetime.combine(now.date(), claimed_at, tzinfo=now.tzinfo)
        if started > now + timedelta(minutes=1):
            started -= timedelta(days=1)
        if now - started < STALE_AFTER:
            return "running on another machine"
        return None
    return None


def run_due(now: datetime | None = None, jobs: dict[str, click.Command] | None = None, invoke=None) -> list[Outcome]:
    """Run each daily job that is due. `invoke(command)` runs one (the click context's invoke)."""
    now = (now or utcnow()).astimezone(ZoneInfo("UTC"))
    at, zone = daily_at(current_app.config["JOBS_DAILY_AT"])
    local = now.astimezone(zone)
    jobs = jobs if jobs is not None else _commands()
    if local.time() < at:
        return [Outcome(job, "skipped", f"not before {at:%H:%M} {zone.key}") for job in jobs]
    today = local.date()
    outcomes = []
    for job, command in jobs.items():
        name = PREFIX + job
        old = _read(name)
        db.session.commit()  # end the read's transaction before claiming
        record = Record.parse(old)
        reason = _due(record, today, now)
        if reason:
            outcomes.append(Outcome(job, "skipped", reason))
            continue
        attempts = (record.attempts if record.day == today else 0) + 1
        claim = Record(today, "running", attempts, now.time()).token()
        if not _claim(name, old, claim):
            outcomes.append(Outcome(job, "skipped", "claimed by another machine"))
            continue
        try:
            (invoke or click.get_current_context().invoke)(command)
            state, outcome = "done", Outcome(job, "ran")
        except Exception as error:  # noqa: BLE001 - one job's failure must not stop the others
            db.session.rollback()
            log.exception("daily job %s failed", job)
            state, outcome = "failed", Outcome(job, "failed", f"{type(error).__name__} (attempt {attempts} of {MAX_ATTEMPTS})")
        _claim(name, claim, Record(today, state, attempts, utcnow().astimezone(ZoneInfo("UTC")).time()).token())
        outcomes.append(outcome)
    return outcomes


def last_runs(jobs=DAILY_JOBS) -> dict[str, Record]:
    return {job: Record.parse(_read(PREFIX + job)) for job in jobs}


jobs_cli = AppGroup("jobs", help="Daily jobs, run by a timer.")


@jobs_cli.command("run-due")
def run_due_command() -> None:
    """Run each daily job (nominations daily-summary, champions renewals, invitations remind,
    nominees tell-due, privacy purge) that has not run today, once the time in JOBS_DAILY_AT has passed. Safe to run
    every few minutes, from several machines at once. Ends with status 1 when a job failed."""
    outcomes = run_due()
    for outcome in outcomes:
        click.echo(f"{outcome.job}: {outcome.result}" + (f" ({outcome.why})" if outcome.why else ""))
    if any(o.result == "failed" for o in outcomes):
        raise SystemExit(1)


@jobs_cli.command("status")
def status_command() -> None:
    """When each daily job last ran, and how it went."""
    for job, record in last_runs().items():
        if record.day is None:
            click.echo(f"{job}: never run")
        else:
            click.echo(f"{job}: {record.state} on {record.day:%-d %B %Y} (attempt {record.attempts}, {record.at:%H:%M} UTC)")
