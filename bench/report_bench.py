"""The celebration objective report with 10,000 achievements in the database.

What it measures
    Requests per second and p99 latency (wrk, 2 threads, 20 connections, from this machine) for
      * a bare Flask "hello" app (the baseline, bench/hello_app.py),
      * GET /reports/objective (the current strategy year: every figure grouped in SQL) signed in
        as the demo board member,
    on SQLite and, with --postgres and when it answers on 127.0.0.1:5432, PostgreSQL. Each app runs
    as gunicorn -w 2 with its production configuration (rate limits off so the load is not turned
    away). Target: the report at 5% or more of the bare app's requests per second. The number of
    queries is proved constant by tests/reports/test_objective_report.py; this script gives the speed.

How to run
    .venv/bin/python bench/report_bench.py [--duration 10] [--postgres]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_bench import (  # noqa: E402
    PG_APP_URL,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    prepare_database,
    random_secret_key,
    reset_postgres_schema,
)
from nominations_bench import _request, wrk  # noqa: E402

TARGET = 10_000
TARGET_RATIO = 0.05
BOARD_EMAIL = "board@demo.example.org"
BOARD_PASSWORD = "demo board password"  # noqa: S105 - an account on the bench's throwaway database
BOARD_TOTP = "JBSWY3DPEHPK3PXPBOARDDEMO2345672"


def top_up_achievements(database_url: str) -> int:
    """Add achievements over the demo young people, spread across the current strategy year,
    until there are 10,000. Returns how many are in the year."""
    import os
    import random
    import uuid
    from datetime import timedelta

    os.environ["DATABASE_URL"] = database_url
    os.environ["CPEVENTS_ENV"] = "development"
    from sqlalchemy import func, insert, select

    from cpevents import create_app
    from cpevents.accounts.models import user_by_email
    from cpevents.achievements.models import Achievement, AchievementArea
    from cpevents.core.time import utcnow
    from cpevents.extensions import db
    from cpevents.reports.queries import Period
    from cpevents.young_people.models import YoungPerson

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        rng = random.Random(10_000)
        worker = user_by_email("nominator@demo.example.org")
        people = db.session.execute(select(YoungPerson.id)).scalars().all()
        count = db.session.execute(select(func.count()).select_from(Achievement)).scalar_one()
        period = Period.current()
        days = max(1, (min(period.end, utcnow().date()) - period.start).days)
        areas = list(AchievementArea)
        rows = [
            {"public_id": str(uuid.uuid4()), "young_person_id": rng.choice(people), "recorded_by_id": worker.id,
             "achieved_on": period.start + timedelta(days=rng.randint(0, days)), "area": rng.choice(areas),
             "description": "Benchmark achievement", "celebrated_with": "Their carer", "created_at": utcnow()}
            for _ in range(TARGET - count)
        ]
        for start in range(0, len(rows), 1000):
            db.session.execute(insert(Achievement), rows[start:start + 1000])
        db.session.commit()
        return db.session.execute(
            select(func.count()).select_from(Achievement).where(Achievement.achieved_on >= period.start, Achievement.achieved_on <= period.end)
        ).scalar_one()


def sign_in_as_demo_board_member(port: int) -> str:
    import re

    import pyotp

    status, html, cookie = _request(port, "GET", "/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    status, _, cookie = _request(port, "POST", "/sign-in", cookie, {"csrf_token": token, "email": BOARD_EMAIL, "password": BOARD_PASSWORD})
    status, html, cookie = _request(port, "GET", "/sign-in/code", cookie)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    status, _, cookie = _request(port, "POST", "/sign-in/code", cookie, {"csrf_token": token, "code": pyotp.TOTP(BOARD_TOTP).now()})
    if status != 302:
        raise RuntimeError("could not sign in as the demo board member")
    return cookie


def run(database_url: str, label: str, duration: int, logs: Path, bare_rps: float) -> list[tuple]:
    """The report as served (its body cached until the data changes), and with the page cache
    off (PAGE_CACHE=false), when every request runs the grouped queries and renders the charts."""
    prepare_database(database_url)
    in_year = top_up_achievements(database_url)
    rows = []
    secret, cookie = random_secret_key(), ""  # one sign-in serves both runs (a code cannot be used twice)
    for cache in ("cached body", "no cache"):
        env = cpevents_env(database_url, production=True, secret_key=secret)
        env["PAGE_CACHE"] = "true" if cache == "cached body" else "false"
        with Gunicorn(f"cpevents-{label}-{cache.replace(' ', '-')}", "wsgi:app", env, logs, "/healthz") as server:
            cookie = cookie or sign_in_as_demo_board_member(server.port)
            status, html, _ = _request(server.port, "GET", "/reports/objective", cookie)
            assert status == 200 and "Achievements by area" in html, status
            load = wrk(server.port, "/reports/objective", duration, cookie)
        rows.append((label, cache, in_year, load.requests_per_s, load.p99_ms, load.requests_per_s / bare_rps, load.non_2xx_3xx))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL (schema cpevents_bench)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cpevents-bench-"))
    with Gunicorn("bare", "hello_app:app", dict(__import__("os").environ), logs, "/", pythonpath=Path(__file__).resolve().parent) as bare:
        base = wrk(bare.port, "/", args.duration)
    rows = run(f"sqlite:///{logs}/bench.sqlite3", "SQLite", args.duration, logs, base.requests_per_s)
    if args.postgres:
        reason = postgres_unavailable_reason()
        if reason is None:
            reset_postgres_schema(create=True)
            try:
                rows += run(PG_APP_URL, "PostgreSQL", args.duration, logs, base.requests_per_s)
            finally:
                reset_postgres_schema(create=False)
        else:
            print(f"PostgreSQL skipped: {reason}")
    print(f"\n{TARGET:,} achievements in the database; bare Flask app: {base.requests_per_s:.0f} requests/s, p99 {base.p99_ms:.1f} ms")
    print(f"{'objective report':<18} {'database':<11} {'in the year':>11} {'requests/s':>11} {'p99 ms':>8} {'ratio':>6} {'errors':>7}")
    for label, cache, in_year, rps, p99, ratio, errors in rows:
        print(f"{cache:<18} {label:<11} {in_year:>11,} {rps:>11.0f} {p99:>8.1f} {ratio:>6.2f} {errors:>7}")
    for cache in ("cached body", "no cache"):
        met = all(row[5] >= TARGET_RATIO for row in rows if row[1] == cache)
        print(f"Report target ({TARGET_RATIO:.0%} of the bare app), {cache}: {'met' if met else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
