"""The daily jobs on scale-N data: time, peak memory and rows touched of each (issue 19).

What it measures
    For each scale (default 10; `--scale 1 10` runs both, to compare), on a fresh database:
    `flask db upgrade`, `flask seed-demo --scale N`, then each daily job of cpevents/jobs.py
    (DAILY_JOBS, in their order) as a subprocess of its own, `flask <group> <command>`, timed by
    `/usr/bin/time -v` (its "Maximum resident set size"; without it, getrusage(RUSAGE_CHILDREN)
    ru_maxrss of that one child). The baseline is `flask jobs status`: the app's own memory when it
    does nothing. Rows touched: what the job prints, and how many outbox messages and audit entries
    it added (counted before and after). The jobs only queue email into the outbox (the worker
    sends it), so nothing is sent; the scale data's addresses are on example.org anyway.
    Targets: each job under a minute; peak memory at scale 10 not ~10x scale 1.

How to run
    .venv/bin/python bench/jobs_bench.py [--postgres] [--scale 1 10]

PostgreSQL uses a schema of its own, `cpevents_jobs_bench_<pid>`, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_bench import HOST, ROOT, cpevents_env, postgres_unavailable_reason  # noqa: E402

PG_ADMIN_URL = f"postgresql://postgres@{HOST}:5432/test"
SCHEMA = f"cpevents_jobs_bench_{os.getpid()}"  # a schema of its own per run, dropped at the end
PG_URL = f"{PG_ADMIN_URL}?options=-csearch_path%3D{SCHEMA}"
SEED_TIMEOUT = 1200
JOB_TIMEOUT = 900
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def reset_schema(*, create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {SCHEMA}")


def flask(env: dict[str, str], *args: str, timeout: int = JOB_TIMEOUT) -> tuple[str, float, int]:
    """Run `flask <args>`; return its output, wall seconds and peak memory in kB."""
    command = [sys.executable, "-m", "flask", *args]
    started = time.perf_counter()
    if TIME:
        done = subprocess.run([TIME, "-v", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        seconds = time.perf_counter() - started
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak_kb = int(peak.group(1)) if peak else 0
    else:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    if done.returncode != 0:
        raise RuntimeError(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    return done.stdout.strip(), seconds, peak_kb


def counts(database_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("outbox_messages", "audit_entries")}  # noqa: S608 - fixed table names
    engine.dispose()
    return found


def make_backlog(database_url: str) -> None:
    """A worst day: every sent nomination sent in the last 24 hours, every invitation (past events
    too) not replied with its reply date 5 days away and no reminder yet, every offer of a place
    run out. The scale data has no champions near renewal and no nominee waiting for their
    nominator (those stay the demo's few)."""
    os.environ.update(DATABASE_URL=database_url, CPEVENTS_ENV="development")
    from datetime import timedelta

    from sqlalchemy import update

    from cpevents import create_app
    from cpevents.core.time import utcnow
    from cpevents.extensions import db
    from cpevents.invitations.models import Invitation, InvitationSettings, InvitationStatus
    from cpevents.nominations.models import Nomination, NominationStatus

    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": database_url.replace("postgresql://", "postgresql+psycopg://", 1)})
    now = utcnow()
    with app.app_context():
        db.session.execute(update(Nomination).where(Nomination.status == NominationStatus.SENT).values(submitted_at=now - timedelta(hours=1)))
        db.session.execute(update(InvitationSettings).values(reply_by=now + timedelta(days=5)))
        db.session.execute(update(Invitation).where(Invitation.status == InvitationStatus.OFFERED).values(offer_expires_at=now - timedelta(hours=1)))
        db.session.execute(update(Invitation).where(Invitation.status != InvitationStatus.OFFERED).values(
            status=InvitationStatus.NOT_REPLIED, reminded_7_at=None, reminded_2_at=None))
        db.session.commit()


def run(database_url: str, scale: float, backlog: bool) -> list[dict]:
    env = cpevents_env(database_url, production=False)
    flask(env, "db", "upgrade", timeout=SEED_TIMEOUT)
    _, seed_s, _ = flask(env, "seed-demo", "--scale", str(scale), timeout=SEED_TIMEOUT)
    print(f"  scale {scale:g}: seeded in {seed_s:.0f} s", flush=True)
    if backlog:
        make_backlog(database_url)
        print("  worst day made (--backlog)", flush=True)
    from cpevents.jobs import DAILY_JOBS

    rows = []
    for job in ("jobs status", *DAILY_JOBS):
        before = counts(database_url)
        out, seconds, peak_kb = flask(env, *job.split())
        after = counts(database_url)
        summary = " ".join(line.strip() for line in out.splitlines() if line.strip())
        if job == "jobs status":
            summary = "(baseline: the app loaded, nothing done)"
        row = {
            "job": job, "scale": scale, "seconds": seconds, "peak_mb": peak_kb / 1024,
            "outbox_added": after["outbox_messages"] - before["outbox_messages"],
            "audit_added": after["audit_entries"] - before["audit_entries"], "output": summary,
        }
        rows.append(row)
        print(f"    {job}: {seconds:.1f} s, {row['peak_mb']:.0f} MB; {summary[:200]}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (127.0.0.1:5432) rather than a SQLite file")
    parser.add_argument("--scale", type=float, nargs="+", default=[10.0], help="one or more scales (default 10)")
    parser.add_argument("--backlog", action="store_true", help="make a worst day first (see make_backlog): every job finds scale-sized work")
    args = parser.parse_args()
    if args.postgres and (reason := postgres_unavailable_reason()):
        print(f"PostgreSQL not reachable: {reason}")
        return 1
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Daily jobs on {database}{' (worst day: --backlog)' if args.backlog else ''}, scale {', '.join(f'{s:g}' for s in args.scale)}; memory by {'/usr/bin/time -v' if TIME else 'getrusage'}.")
    print(f"Machine: {os.cpu_count()} CPUs, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (shared: figures under load).", flush=True)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="cpevents-jobs-") as tmp:
        for scale in args.scale:
            if args.postgres:
                reset_schema(create=True)
                try:
                    rows += run(PG_URL, scale, args.backlog)
                finally:
                    reset_schema(create=False)
            else:
                rows += run(f"sqlite:///{Path(tmp) / f'jobs-{scale:g}.sqlite3'}", scale, args.backlog)
    print()
    print("| job | scale | seconds | peak memory MB | outbox added | audit added | what it said |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['job']} | {r['scale']:g} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {r['outbox_added']:,} | {r['audit_added']:,} | {r['output'][:400]} |")
    slow = [r for r in rows if r["seconds"] >= 60]
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    named = ", ".join(f"{r['job']} (scale {r['scale']:g})" for r in slow)
    print("Every job under a minute." if not slow else f"Over a minute: {named}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
