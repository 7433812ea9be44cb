"""The young person's invitation page (behind the personal link), against a bare Flask app.

What it measures
    Requests per second and p99 latency (wrk, 2 threads, 20 connections, from this machine) for
      * a bare Flask "hello" app (the baseline, bench/hello_app.py),
      * GET /invitation for a young person who has not replied yet (the "Can you come?" form),
      * GET /invitation for a young person who is coming (their reply, the door QR code),
    each after the personal link /i/<token> was opened once (the session cookie then carries the
    invitation; the token is not in the address). Demo data: 80 invitations on the demo event.
    Each app runs as gunicorn -w 2 with its production configuration (rate limits off so the load
    is not turned away). Target: 15% or more of the bare app's requests per second.

    SQLite by default. --postgres also runs on PostgreSQL at 127.0.0.1:5432, in its own schema
    `cpevents_bench_rsvp` (dropped afterwards), so it never touches another benchmark's schema.

How to run
    .venv/bin/python bench/rsvp_bench.py [--duration 10] [--postgres]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_bench import (  # noqa: E402
    HOST,
    PG_ADMIN_URL,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    prepare_database,
    random_secret_key,
)
from nominations_bench import wrk  # noqa: E402

TARGET = 0.15
PG_SCHEMA = "cpevents_bench_rsvp"


def personal_links(database_url: str) -> dict[str, str]:
    """A fresh personal link for one young person who has not replied and one who is coming."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["CPEVENTS_ENV"] = "development"
    from sqlalchemy import select

    from cpevents import create_app
    from cpevents.extensions import db
    from cpevents.invitations import services
    from cpevents.invitations.models import Invitation, InvitationStatus

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    links = {}
    with app.app_context():
        for name, status in (("not replied", InvitationStatus.NOT_REPLIED), ("coming", InvitationStatus.COMING)):
            invitation = db.session.execute(
                select(Invitation).where(Invitation.status == status, Invitation.check_identity.is_(False)).order_by(Invitation.id)
            ).scalars().first()
            links[name] = "/i/" + services.issue_link(invitation).rsplit("/i/", 1)[1]
        db.session.commit()
        db.engine.dispose()
    return links


def open_link(port: int, path: str) -> str:
    """Open the personal link once, as a young person would; return the session cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    conn.close()
    if response.status != 302 or not cookie:
        raise RuntimeError(f"opening the personal link gave {response.status}")
    return cookie


def page_status(port: int, cookie: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/invitation", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def run(database_url: str, label: str, duration: int, logs: Path, bare_rps: float) -> list[tuple]:
    prepare_database(database_url)
    links = personal_links(database_url)
    env = cpevents_env(database_url, production=True, secret_key=random_secret_key())
    rows = []
    with Gunicorn(f"cpevents-{label}", "wsgi:app", env, logs, "/healthz") as server:
        for name, link in links.items():
            cookie = open_link(server.port, link)
            assert page_status(server.port, cookie) == 200
            load = wrk(server.port, "/invitation", duration, cookie)
            rows.append((f"RSVP page, {name}", label, load.requests_per_s, load.p99_ms, load.requests_per_s / bare_rps, load.non_2xx_3xx))
    return rows


def _postgres_schema(create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL (own schema)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cpevents-rsvp-bench-"))
    with Gunicorn("bare", "hello_app:app", dict(os.environ), logs, "/", pythonpath=Path(__file__).resolve().parent) as bare:
        base = wrk(bare.port, "/", args.duration)
    rows = run(f"sqlite:///{logs}/bench.sqlite3", "SQLite", args.duration, logs, base.requests_per_s)
    if args.postgres:
        reason = postgres_unavailable_reason()
        if reason is None:
            _postgres_schema(create=True)
            try:
                rows += run(f"{PG_ADMIN_URL}?options=-csearch_path%3D{PG_SCHEMA}", "PostgreSQL", args.duration, logs, base.requests_per_s)
            finally:
                _postgres_schema(create=False)
        else:
            print(f"PostgreSQL skipped: {reason}")
    print(f"\nBare Flask app: {base.requests_per_s:.0f} requests/s, p99 {base.p99_ms:.1f} ms")
    print(f"{'page':<26} {'database':<11} {'requests/s':>11} {'p99 ms':>8} {'ratio':>6} {'errors':>7}")
    for name, label, rps, p99, ratio, errors in rows:
        print(f"{name:<26} {label:<11} {rps:>11.0f} {p99:>8.1f} {ratio:>6.2f} {errors:>7}")
    met = all(ratio >= TARGET for _, _, _, _, ratio, _ in rows)
    print(f"\nTarget ({TARGET:.0%} of the bare app) {'met' if met else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
