"""The organisers' nominations list and a young person's file, with 500 nominations in the database.

What it measures
    Requests per second and p99 latency (wrk, 2 threads, 20 connections, from this machine) for
      * a bare Flask "hello" app (the baseline, bench/hello_app.py),
      * GET /events/<id>/nominations (the paged list, 50 files a page) signed in as an organiser,
      * GET /nomination-files/<id> (one young person's file, three nominations),
    on SQLite and, when it answers on 127.0.0.1:5432, PostgreSQL. Each app runs as gunicorn -w 2 with
    its production configuration (rate limits off so the load is not turned away). Target: the list
    at 10% or more of the bare app's requests per second. The query counts are proved constant by
    tests (tests/nominations/test_review.py); this script gives the speed.

How to run
    .venv/bin/python bench/nominations_bench.py [--duration 10]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_bench import (  # noqa: E402
    HOST,
    PG_APP_URL,
    WRK_CONNECTIONS,
    WRK_THREADS,
    Gunicorn,
    cpevents_env,
    parse_wrk,
    postgres_unavailable_reason,
    prepare_database,
    random_secret_key,
    reset_postgres_schema,
)

TARGET = 500


def top_up_nominations(database_url: str) -> tuple[str, str]:
    """Add nominations until there are 500; return the event's and one three-nomination file's ids."""
    import os

    os.environ["DATABASE_URL"] = database_url
    os.environ["CPEVENTS_ENV"] = "development"
    from sqlalchemy import func, select

    from cpevents import create_app
    from cpevents.events.models import Event
    from cpevents.extensions import db
    from cpevents.nominations.models import Nomination, NominationFile, NominationStatus
    from cpevents.nominations.review import match_nomination

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
        sent = db.session.execute(select(Nomination).where(Nomination.event_id == event.id, Nomination.status == NominationStatus.SENT)).scalars().all()
        count = db.session.execute(select(func.count()).select_from(Nomination)).scalar_one()
        i = 0
        while count < TARGET:
            source = sent[i % len(sent)]
            copy = Nomination(**{c.name: getattr(source, c.name) for c in Nomination.__table__.columns if c.name not in ("id", "public_id", "file_id")})
            db.session.add(copy)
            db.session.flush()
            match_nomination(copy, source.file.young_person, by=source.nominator)
            count += 1
            i += 1
        db.session.commit()
        biggest = db.session.execute(
            select(NominationFile).join(Nomination).group_by(NominationFile.id).order_by(func.count(Nomination.id).desc())
        ).scalars().first()
        return event.public_id, biggest.public_id


def _request(port, method, path, cookie="", body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=urllib.parse.urlencode(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    html = response.read().decode("utf-8", "replace")
    set_cookie = response.getheader("Set-Cookie") or ""
    if set_cookie:
        cookie = set_cookie.split(";", 1)[0]
    conn.close()
    return response.status, html, cookie


def sign_in_as_demo_organiser(port: int) -> str:
    import pyotp

    status, html, cookie = _request(port, "GET", "/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    status, _, cookie = _request(port, "POST", "/sign-in", cookie, {"csrf_token": token, "email": "organiser@demo.example.org", "password": "demo organiser password"})
    status, html, cookie = _request(port, "GET", "/sign-in/code", cookie)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    code = pyotp.TOTP("JBSWY3DPEHPK3PXPORGANISERDEMO234").now()
    status, _, cookie = _request(port, "POST", "/sign-in/code", cookie, {"csrf_token": token, "code": code})
    if status != 302:
        raise RuntimeError("could not sign in as the demo organiser")
    return cookie


def wrk(port: int, path: str, duration: int, cookie: str = ""):
    command = [shutil.which("wrk"), f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration}s", "--timeout", "5s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=True).stdout)


def run(database_url: str, label: str, duration: int, logs: Path, bare_rps: float) -> list[tuple]:
    prepare_database(database_url)
    event_id, file_id = top_up_nominations(database_url)
    env = cpevents_env(database_url, production=True, secret_key=random_secret_key())
    rows = []
    with Gunicorn(f"cpevents-{label}", "wsgi:app", env, logs, "/healthz") as server:
        cookie = sign_in_as_demo_organiser(server.port)
        for name, path in (("nominations list", f"/events/{event_id}/nominations"), ("one file", f"/nomination-files/{file_id}")):
            status, _, _ = _request(server.port, "GET", path, cookie)
            assert status == 200, (path, status)
            load = wrk(server.port, path, duration, cookie)
            rows.append((name, label, load.requests_per_s, load.p99_ms, load.requests_per_s / bare_rps, load.non_2xx_3xx))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cpevents-bench-"))
    with Gunicorn("bare", "hello_app:app", dict(__import__("os").environ), logs, "/", pythonpath=Path(__file__).resolve().parent) as bare:
        base = wrk(bare.port, "/", args.duration)
    rows = run(f"sqlite:///{logs}/bench.sqlite3", "SQLite", args.duration, logs, base.requests_per_s)
    reason = postgres_unavailable_reason()
    if reason is None:
        reset_postgres_schema(create=True)
        try:
            rows += run(PG_APP_URL, "PostgreSQL", args.duration, logs, base.requests_per_s)
        finally:
            reset_postgres_schema(create=False)
    else:
        print(f"PostgreSQL skipped: {reason}")
    print(f"\n{TARGET} nominations; bare Flask app: {base.requests_per_s:.0f} requests/s, p99 {base.p99_ms:.1f} ms")
    print(f"{'page':<18} {'database':<11} {'requests/s':>11} {'p99 ms':>8} {'ratio':>6} {'errors':>7}")
    for name, label, rps, p99, ratio, errors in rows:
        print(f"{name:<18} {label:<11} {rps:>11.0f} {p99:>8.1f} {ratio:>6.2f} {errors:>7}")
    met = all(ratio >= 0.10 for name, _, _, _, ratio, _ in rows if name == "nominations list")
    print("\nList page target (10% of the bare app) met." if met else "\nList page target (10% of the bare app) NOT met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
