"""Throughput against a bare Flask app on PostgreSQL with N times a large council's data (issue 19).

What it measures
    In one run, one server at a time, wrk (2 threads, 20 connections) from this machine against
      * a bare Flask "hello" app (bench/hello_app.py), the baseline,
      * cpevents under gunicorn -w 2 with its production settings (rate limits off so the load is
        not turned away) on PostgreSQL, after `flask seed-demo --scale N` (default 10: 30,000
        young people, ten years of events, 100,000 achievements, 1,000,000 audit entries):
          - GET /sign-in                                   target 30% of the bare app,
          - GET /invitation, young person not replied yet  target 20%,
          - GET /invitation, young person coming           target 20%,
          - the organisers' nominations list of the event with the most nominations   15%,
          - the guest list of the upcoming event (600 young people coming)            10%,
          - the objective report (the board member; ten years of data), its cache on   5%,
        and the objective report's time with its page cache off (PAGE_CACHE=false): the median
        of five single requests after one warm-up, target under 1 s.
    Prints a table with requests/s, p99 latency, the ratio to the bare app, the target and
    whether it was met. With --rounds R the bare app and every page are measured R times in turn
    and the table gives the median of each (ratios in the same round, so a busy neighbour on a
    shared machine moves both sides).

    The data lives in a PostgreSQL schema of its own, `cpevents_bench_scale` on 127.0.0.1:5432
    (user postgres, database `test`), created empty, migrated (`flask db upgrade`), seeded and
    dropped afterwards. --keep leaves it in place and --reuse measures an existing one (for
    profiling, or to measure again after a change without seeding for a minute).

How to run
    .venv/bin/python bench/scale_bench.py [--scale 10] [--duration 10] [--rounds 1]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_bench import (  # noqa: E402
    HOST,
    PG_ADMIN_URL,
    ROOT,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    random_secret_key,
)
from nominations_bench import sign_in_as_demo_organiser, wrk  # noqa: E402
from report_bench import sign_in_as_demo_board_member  # noqa: E402
from rsvp_bench import open_link  # noqa: E402

PG_SCHEMA = "cpevents_bench_scale"
SEED_TIMEOUT = 1800  # seconds; scale 10 takes about a minute on a shared 2-core machine
UNCACHED_REQUESTS = 5
UNCACHED_TARGET_MS = 1000.0


@dataclass
class Page:
    name: str
    path: str
    who: str  # "anyone", "organiser", "board", or "link:<personal link path>"
    target: float


def schema_url(schema: str) -> str:
    return f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"


def reset_schema(schema: str, *, create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {schema}")


def seed(database_url: str, scale: float) -> dict:
    """`flask db upgrade`, then `flask seed-demo --scale N --json`; returns the seed's JSON."""
    env = cpevents_env(database_url, production=False)
    out = ""
    for args in (["db", "upgrade"], ["seed-demo", "--scale", str(scale), "--json"]):
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        out = done.stdout
    return json.loads(out[out.index("{"):])


def targets(database_url: str) -> list[Page]:
    """The pages to load, with real ids: the event with the most young people coming (the
    upcoming one, 600 at scale 1 and more), the event with the most nominations, and fresh
    personal links for a young person on the upcoming event who has not replied and one coming."""
    os.environ.update(DATABASE_URL=database_url, CPEVENTS_ENV="development")
    from sqlalchemy import func, select

    from cpevents import create_app
    from cpevents.events.models import Event
    from cpevents.extensions import db
    from cpevents.invitations import services
    from cpevents.invitations.models import Invitation, InvitationStatus
    from cpevents.nominations.models import Nomination

    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": database_url.replace("postgresql://", "postgresql+psycopg://", 1)})
    with app.app_context():
        coming = func.count(Invitation.id)
        upcoming_id, upcoming_public_id, how_many = db.session.execute(
            select(Event.id, Event.public_id, coming).join(Invitation, Invitation.event_id == Event.id)
            .where(Invitation.status == InvitationStatus.COMING).group_by(Event.id, Event.public_id).order_by(coming.desc()).limit(1)
        ).one()
        largest = db.session.execute(
            select(Event.public_id).join(Nomination, Nomination.event_id == Event.id).group_by(Event.id, Event.public_id, Event.starts_at)
            .order_by(func.count(Nomination.id).desc(), Event.starts_at.desc()).limit(1)
        ).scalar_one()
        links = {}
        for name, status in (("not replied", InvitationStatus.NOT_REPLIED), ("coming", InvitationStatus.COMING)):
            invitation = db.session.execute(
                select(Invitation).where(Invitation.event_id == upcoming_id, Invitation.status == status, Invitation.check_identity.is_(False))
                .order_by(Invitation.id).limit(1)
            ).scalar_one()
            links[name] = "/i/" + services.issue_link(invitation).rsplit("/i/", 1)[1]
        db.session.commit()
        db.engine.dispose()
    return [
        Page("sign-in page", "/sign-in", "anyone", 0.30),
        Page("invitation, not replied", "/invitation", f"link:{links['not replied']}", 0.20),
        Page("invitation, coming", "/invitation", f"link:{links['coming']}", 0.20),
        Page("nominations list", f"/events/{largest}/nominations", "organiser", 0.15),
        Page(f"guest list ({how_many} coming)", f"/events/{upcoming_public_id}/invitations", "organiser", 0.10),
        Page("objective report, cached", "/reports/objective", "board", 0.05),
    ]


def cookie_for(port: int, who: str, cookies: dict[str, str]) -> str:
    if who not in cookies:
        if who == "anyone":
            cookies[who] = ""
        elif who == "organiser":
            cookies[who] = sign_in_as_demo_organiser(port)
        elif who == "board":
            cookies[who] = sign_in_as_demo_board_member(port)
        else:
            cookies[who] = open_link(port, who.removeprefix("link:"))
    return cookies[who]


def timed_get(port: int, path: str, cookie: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, elapsed


def measure(database_url: str, pages: list[Page], duration: int, rounds: int, logs: Path) -> tuple[list[dict], list[float]]:
    secret = random_secret_key()
    cookies: dict[str, str] = {}  # sessions live in the database, so they outlast a server
    samples: dict[str, list[tuple[float, float, float, int]]] = {page.name: [] for page in pages}
    bare_rps: list[float] = []
    env = cpevents_env(database_url, production=True, secret_key=secret)
    for round_ in range(rounds):
        with Gunicorn("bare", "hello_app:app", dict(os.environ), logs, "/", pythonpath=Path(__file__).resolve().parent) as bare:
            base = wrk(bare.port, "/", duration)
        bare_rps.append(base.requests_per_s)
        print(f"round {round_ + 1}: bare Flask app {base.requests_per_s:.0f} requests/s", flush=True)
        with Gunicorn("cpevents-scale", "wsgi:app", env, logs, "/healthz") as server:
            for page in pages:
                cookie = cookie_for(server.port, page.who, cookies)
                for _ in range(20):  # both workers warm, the cached parts filled
                    status, _ = timed_get(server.port, page.path, cookie)
                    if status != 200:
                        raise RuntimeError(f"GET {page.path} ({page.name}) answered {status}:\n{server.log_tail()}")
                load = wrk(server.port, page.path, duration, cookie)
                samples[page.name].append((load.requests_per_s, load.p99_ms, load.requests_per_s / base.requests_per_s, load.non_2xx_3xx))
                print(f"  {page.name}: {load.requests_per_s:.0f} requests/s, p99 {load.p99_ms:.1f} ms, {load.requests_per_s / base.requests_per_s:.0%}", flush=True)
    uncached_env = dict(env, PAGE_CACHE="false")
    with Gunicorn("cpevents-scale-uncached", "wsgi:app", uncached_env, logs, "/healthz") as server:
        cookie = cookie_for(server.port, "board", cookies)
        timed_get(server.port, "/reports/objective", cookie)  # warm-up: templates compiled
        uncached = []
        for _ in range(UNCACHED_REQUESTS):
            status, ms = timed_get(server.port, "/reports/objective", cookie)
            if status != 200:
                raise RuntimeError(f"the objective report without its cache answered {status}")
            uncached.append(ms)
    rows = []
    for page in pages:
        got = samples[page.name]
        rows.append({
            "page": page.name, "path": page.path, "target": page.target,
            "requests_per_s": statistics.median(s[0] for s in got), "p99_ms": statistics.median(s[1] for s in got),
            "ratio": statistics.median(s[2] for s in got), "ratios": [round(s[2], 3) for s in got], "errors": sum(s[3] for s in got),
        })
    rows.insert(0, {"page": "bare Flask app", "path": "/", "target": None, "requests_per_s": statistics.median(bare_rps), "p99_ms": None, "ratio": 1.0, "ratios": [], "errors": 0})
    return rows, uncached


def print_table(rows: list[dict], uncached: list[float]) -> None:
    print(f"\n{'page':<28} {'requests/s':>10} {'p99 ms':>8} {'ratio':>6} {'target':>7}  result")
    for row in rows:
        p99 = f"{row['p99_ms']:.1f}" if row["p99_ms"] is not None else "-"
        if row["target"] is None:
            print(f"{row['page']:<28} {row['requests_per_s']:>10.0f} {p99:>8} {'1.00':>6} {'-':>7}")
            continue
        verdict = "met" if row["ratio"] >= row["target"] else "MISSED"
        spread = f"  (rounds: {', '.join(f'{r:.0%}' for r in row['ratios'])})" if len(row["ratios"]) > 1 else ""
        errors = f"  {row['errors']} error responses" if row["errors"] else ""
        print(f"{row['page']:<28} {row['requests_per_s']:>10.0f} {p99:>8} {row['ratio']:>6.0%} {row['target']:>7.0%}  {verdict}{spread}{errors}")
    median = statistics.median(uncached)
    verdict = "met" if median < UNCACHED_TARGET_MS else "MISSED"
    print(f"{'objective report, no cache':<28} {'one request: median ' + f'{median:.0f} ms, worst {max(uncached):.0f} ms':>33} {'< 1 s':>7}  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0, help="seed-demo --scale N (default 10)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--rounds", type=int, default=1, help="measure everything this many times; medians are shown")
    parser.add_argument("--schema", default=PG_SCHEMA, help=f"PostgreSQL schema (default {PG_SCHEMA})")
    parser.add_argument("--keep", action="store_true", help="leave the schema in place afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the data already in the schema (no seeding; kept afterwards)")
    args = parser.parse_args()
    if not args.schema.replace("_", "").isalnum():
        parser.error("--schema: letters, digits and _ only")
    url = schema_url(args.schema)
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 1
    reason = postgres_unavailable_reason()
    if reason:
        print(f"PostgreSQL is needed on {HOST}:5432: {reason}")
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cpevents-scale-bench-"))
    try:
        if not args.reuse:
            reset_schema(args.schema, create=True)
            started = time.monotonic()
            print(f"Seeding scale {args.scale:g} into schema {args.schema} ...", flush=True)
            seeded = seed(url, args.scale)
            print(f"  seeded in {time.monotonic() - started:.0f} s: {seeded['scale']['added']}", flush=True)
        pages = targets(url)
        print(f"Load: wrk, 2 threads, 20 connections, {args.duration} s per page, {args.rounds} round(s); "
              f"gunicorn -w 2, production settings, rate limits off. Load average before: {os.getloadavg()[0]:.1f}", flush=True)
        rows, uncached = measure(url, pages, args.duration, args.rounds, logs)
    finally:
        if not (args.keep or args.reuse):
            reset_schema(args.schema, create=False)
    print_table(rows, uncached)
    print(f"\nMachine: {os.cpu_count()} CPUs, load average after: {os.getloadavg()[0]:.1f} (shared: compare ratios, not absolute figures)")
    return 0


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
