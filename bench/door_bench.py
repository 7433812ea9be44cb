"""Check-in at the door, against the real app over HTTP.

What it measures
    * Check-ins: N young people (default 50) coming with 2 guests each are checked in with one
      tap each (POST /door/invitations/<id>/check-in, the young person and both guests) by 5 door
      helpers signed in at once, each in their own session and thread. Prints requests/s and
      p50/p95 latency, then checks the database: every young person and guest checked in once.
    * Double taps: all 5 helpers tap the same 10 young people at the same moment again. Every
      tap must answer "already checked in" and change nothing.
    * The door page with 60 invitations (120 guests): p50/p95 of 100 sequential GETs by one
      helper, and wrk's requests/s with 20 connections when wrk is installed.
    The app runs as gunicorn -w 2 with its production configuration (rate limits off so the load
    is not turned away), on demo data plus a "Door bench" event today.

    SQLite by default. --postgres also runs on PostgreSQL at 127.0.0.1:5432, in its own schema
    `cpevents_bench_door` (dropped afterwards).

How to run
    .venv/bin/python bench/door_bench.py [--young-people 50] [--duration 10] [--postgres]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import UTC

from http_bench import (  # noqa: E402
    HOST,
    PG_ADMIN_URL,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    prepare_database,
    random_secret_key,
)

PG_SCHEMA = "cpevents_bench_door"
HELPERS = 5
PAGE_INVITATIONS = 60
PASSWORD = "door bench helper password"  # noqa: S105 - an account on the bench's throwaway database


def _app(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["CPEVENTS_ENV"] = "development"
    from cpevents import create_app

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})


def make_event(database_url: str, name: str, invitations: int) -> dict:
    """An event today at 6pm with `invitations` young people coming, two guests each, and 5 helpers."""
    from datetime import date, datetime, timedelta
    from datetime import time as clock

    from cpevents.accounts.models import User, user_by_email
    from cpevents.accounts.passwords import hash_password
    from cpevents.core.enums import Role
    from cpevents.core.time import LONDON, utcnow
    from cpevents.door.models import EventDoorHelper
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.extensions import db
    from cpevents.invitations.models import AgeGroup, Guest, Invitation, InvitationStatus, ReplyHow
    from cpevents.young_people.models import CareStatus, YoungPerson

    app = _app(database_url)
    with app.app_context():
        organiser = user_by_email("organiser@demo.example.org")
        today = utcnow().astimezone(LONDON).date()
        event = create_event(kind=EventKind.OTHER, name=name, starts_at=datetime.combine(today, clock(18), tzinfo=LONDON).astimezone(UTC),
                             venue="Bench hall", capacity=1000, description="", min_age=11, max_age=25, by=organiser)
        ids = []
        for i in range(invitations):
            person = YoungPerson(first_name=f"Bench{i:03d}", last_name="Person", date_of_birth=date(2008, 1, 1), care_status=CareStatus.IN_CARE,
                                 do_not_publish=i % 9 == 0, contact_restriction=i % 13 == 0, contact_restriction_note="bench note" if i % 13 == 0 else "")
            db.session.add(person)
            db.session.flush()
            invitation = Invitation(event_id=event.id, young_person_id=person.id, status=InvitationStatus.COMING, replied_at=utcnow() - timedelta(days=3),
                                    replied_how=ReplyHow.LINK, photo_consent=i % 3 != 0, access="wheelchair" if i % 5 == 0 else "",
                                    door_note="Bench note for the door" if i % 7 == 0 else "")
            invitation.guests = [Guest(name=f"Guest {i}a", age_group=AgeGroup.ADULT, position=1), Guest(name=f"Guest {i}b", age_group=AgeGroup.CHILD, position=2)]
            db.session.add(invitation)
            db.session.flush()
            ids.append(invitation.public_id)
        helpers = []
        for h in range(HELPERS):
            email = f"door.bench{h}.{event.id}@example.org"
            user = User(email=email, name=f"Bench Helper {h}", password_hash=hash_password(PASSWORD), email_verified_at=utcnow())
            user.set_roles({Role.DOOR_HELPER})
            db.session.add(user)
            db.session.flush()
            db.session.add(EventDoorHelper(event_id=event.id, user_id=user.id))
            helpers.append(email)
        db.session.commit()
        result = {"event": event.public_id, "event_id": event.id, "invitations": ids, "helpers": helpers}
        db.session.remove()
        db.engine.dispose()
    return result


def checked_in_counts(database_url: str, event_id: int) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from cpevents.extensions import db
    from cpevents.invitations.models import Guest, Invitation

    app = _app(database_url)
    with app.app_context():
        yp = db.session.execute(select(func.count(Invitation.checked_in_at)).where(Invitation.event_id == event_id)).scalar_one()
        guests = db.session.execute(select(func.count(Guest.checked_in_at)).join(Invitation).where(Invitation.event_id == event_id)).scalar_one()
        from cpevents.audit.models import AuditEntry

        audits = db.session.execute(
            select(func.count(AuditEntry.id)).join(Invitation, (AuditEntry.subject_id == Invitation.id) & (AuditEntry.subject_type == "invitations"))
            .where(Invitation.event_id == event_id, AuditEntry.detail == "Checked in at the door")
        ).scalar_one()
        db.session.remove()
        db.engine.dispose()
    return yp, guests, audits


class Session:
    """One helper's browser: a keep-alive connection and the session cookie."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=urllib.parse.urlencode(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        set_cookie = response.getheader("Set-Cookie") or ""
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return response.status, html, response.getheader("Location") or ""

    def token(self, path: str) -> str:
        status, html, _ = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path} gave {status} without a form")
        return match.group(1)

    def sign_in(self, email: str) -> None:
        token = self.token("/sign-in")
        status, _, location = self.request("POST", "/sign-in", {"csrf_token": token, "email": email, "password": PASSWORD})
        if status != 302 or "/sign-in" in location:
            raise RuntimeError(f"could not sign in as {email} ({status} {location})")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(database_url: str, label: str, young_people: int, duration: int, logs: Path) -> list[str]:
    prepare_database(database_url)
    taps = make_event(database_url, "Door bench (check-ins)", young_people)
    page = make_event(database_url, "Door bench (page)", PAGE_INVITATIONS)
    env = cpevents_env(database_url, production=True, secret_key=random_secret_key())
    lines = []
    with Gunicorn(f"cpevents-door-{label}", "wsgi:app", env, logs, "/healthz") as server:
        sessions = []
        for email in taps["helpers"]:
            s = Session(server.port)
            s.sign_in(email)
            sessions.append((s, s.token(f"/door/events/{taps['event']}")))

        def tap_all(index: int, targets: list[str], latencies: list[float], statuses: list[int], barrier=None):
            s, token = sessions[index]
            for public_id in targets:
                if barrier is not None:
                    barrier.wait(timeout=60)
                start = time.perf_counter()
                status, _, _ = s.request("POST", f"/door/invitations/{public_id}/check-in", {"csrf_token": token})
                latencies.append((time.perf_counter() - start) * 1000)
                statuses.append(status)

        # Round 1: each young person once, shared out between the helpers.
        latencies, statuses = [], []
        threads = [threading.Thread(target=tap_all, args=(h, taps["invitations"][h::HELPERS], latencies, statuses)) for h in range(HELPERS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        yp, guests, audits = checked_in_counts(database_url, taps["event_id"])
        lines.append(f"{label}: {len(latencies)} one-tap check-ins ({young_people} young people + {2 * young_people} guests) by {HELPERS} helpers at once: "
                     f"{len(latencies) / elapsed:.0f} requests/s, p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, "
                     f"{sum(1 for s in statuses if s != 302)} not 302")
        lines.append(f"{label}: in the database: {yp}/{young_people} young people, {guests}/{2 * young_people} guests checked in, {audits} audit entries")

        # Round 2: every helper taps the same 10 young people at the same moment.
        latencies2, statuses2 = [], []
        barrier = threading.Barrier(HELPERS)
        same = taps["invitations"][:10]
        threads = [threading.Thread(target=tap_all, args=(h, same, latencies2, statuses2, barrier)) for h in range(HELPERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        yp2, guests2, audits2 = checked_in_counts(database_url, taps["event_id"])
        lines.append(f"{label}: double taps: {len(latencies2)} taps on 10 people already in, {HELPERS} at a time: p50 {statistics.median(latencies2):.1f} ms, "
                     f"p95 {percentile(latencies2, 95):.1f} ms; changed {yp2 - yp} young people, {guests2 - guests} guests, {audits2 - audits} audit entries")

        # The door page with 60 invitations.
        s = Session(server.port)
        s.sign_in(page["helpers"][0])
        path = f"/door/events/{page['event']}"
        for _ in range(10):
            s.request("GET", path)
        times = []
        for _ in range(100):
            start = time.perf_counter()
            status, html, _ = s.request("GET", path)
            times.append((time.perf_counter() - start) * 1000)
            assert status == 200 and html.count("<h2 class=\"govuk-summary-card__title\">") == PAGE_INVITATIONS
        line = (f"{label}: door page, {PAGE_INVITATIONS} invitations ({len(html) // 1024} KB): 100 GETs one after another, "
                f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms")
        if shutil.which("wrk"):
            from nominations_bench import wrk

            load = wrk(server.port, path, duration, s.cookie)
            line += f"; wrk 20 connections {duration} s: {load.requests_per_s:.0f} requests/s, p99 {load.p99_ms:.1f} ms, {load.non_2xx_3xx} errors"
        lines.append(line)
    return lines


def _postgres_schema(create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--young-people", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk on the door page")
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL (own schema)")
    parser.add_argument("--postgres-only", action="store_true", help="run on PostgreSQL only")
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="cpevents-door-bench-"))
    lines = []
    if not args.postgres_only:
        lines += run(f"sqlite:///{logs}/bench.sqlite3", "SQLite", args.young_people, args.duration, logs)
    if args.postgres or args.postgres_only:
        reason = postgres_unavailable_reason()
        if reason is None:
            _postgres_schema(create=True)
            try:
                lines += run(f"{PG_ADMIN_URL}?options=-csearch_path%3D{PG_SCHEMA}", "PostgreSQL", args.young_people, args.duration, logs)
            finally:
                _postgres_schema(create=False)
        else:
            lines.append(f"PostgreSQL skipped: {reason}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
