"""The judging ranking page: 100 files, each scored by 8 judges.

What it measures
    Requests per second and p99 latency (wrk, 2 threads, 20 connections, from this machine) for
      * a bare Flask "hello" app (the baseline, bench/hello_app.py),
      * GET /events/<id>/judging/ranking signed in as an organiser (every file of the event,
        grouped by award, normalised scores computed on each request),
    on SQLite (and on PostgreSQL with --postgres, when it answers on 127.0.0.1:5432). Each app runs
    as gunicorn -w 2 with its production configuration. Target: the ranking at 10% or more of the
    bare app's requests per second. The query count is proved constant by
    tests/judging/test_ranking.py; this script gives the speed.

How to run
    .venv/bin/python bench/judging_bench.py [--duration 10] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from datetime import date
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
from nominations_bench import _request, sign_in_as_demo_organiser, wrk  # noqa: E402

FILES = 100
JUDGES = 8


def top_up_judging(database_url: str) -> str:
    """Make the demo event hold 100 accepted files, each submitted by 8 judges; return the event id."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["CPEVENTS_ENV"] = "development"
    from sqlalchemy import select

    from cpevents import create_app
    from cpevents.accounts.models import User, user_by_email
    from cpevents.core.enums import Role
    from cpevents.core.time import utcnow
    from cpevents.events.models import Event
    from cpevents.extensions import db
    from cpevents.judging.models import Assignment, ConflictType, PanelJudge, Score
    from cpevents.judging.services import judgeable_files, panel_for
    from cpevents.nominations.models import FileStatus, Nomination, NominationStatus, YesNo
    from cpevents.nominations.review import match_nomination
    from cpevents.young_people.models import CareStatus, WorkerRelationship
    from cpevents.young_people.services import create_young_person

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(8)
    with app.app_context():
        event = db.session.execute(select(Event).where(Event.name == "PROUD Awards (demo)")).scalar_one()
        panel = panel_for(event)
        organiser = user_by_email("organiser@demo.example.org")
        nominator = user_by_email("nominator@demo.example.org")
        files = judgeable_files(panel)
        n = 0
        while len(files) < FILES:
            n += 1
            person = create_young_person({"first_name": f"Bench{n}", "last_name": "Person", "date_of_birth": date(2009, 5, 1),
                                          "care_status": CareStatus.IN_CARE, "district": "Riverside"}, by=organiser)
            nomination = Nomination(event_id=event.id, nominator_id=nominator.id, category_id=event.categories[n % len(event.categories)].id,
                                    status=NominationStatus.SENT, first_name=person.first_name, last_name=person.last_name,
                                    date_of_birth=person.date_of_birth, care_status=person.care_status, district=person.district,
                                    relationship_type=WorkerRelationship.SOCIAL_WORKER, worked_with_recently=True,
                                    achievement="Bench nomination.", young_person_knows=YesNo.YES, public_concern=YesNo.NO, submitted_at=utcnow())
            db.session.add(nomination)
            db.session.flush()
            file = match_nomination(nomination, person, by=organiser)
            file.status = FileStatus.ACCEPTED
            files.append(file)
        for i in range(JUDGES - len(panel.judges)):
            user = User(email=f"bench-judge{i}@demo.example.org", name=f"Bench Judge {i}", is_demo=True, email_verified_at=utcnow())
            user.set_roles({Role.JUDGE})
            db.session.add(user)
            db.session.flush()
            db.session.add(PanelJudge(panel_id=panel.id, user_id=user.id))
        db.session.flush()
        db.session.refresh(panel)
        existing = {(a.file_id, a.judge_id): a for a in db.session.execute(select(Assignment).where(Assignment.panel_id == panel.id)).scalars()}
        now = utcnow()
        for file in files:
            for judge in panel.judges:
                a = existing.get((file.id, judge.id))
                if a is None:
                    a = Assignment(panel_id=panel.id, file_id=file.id, judge_id=judge.id)
                    db.session.add(a)
                if a.submitted_at is None:
                    a.conflict, a.conflict_declared_at, a.saved_at, a.submitted_at = ConflictType.NONE, now, now, now
                    have = {s.criterion_id for s in a.scores}
                    a.scores.extend(Score(criterion_id=c.id, value=rng.randint(1, 5)) for c in panel.criteria if c.id not in have)
        db.session.commit()
        return event.public_id


def run(database_url: str, label: str, duration: int, logs: Path, bare_rps: float) -> list[tuple]:
    prepare_database(database_url)
    event_id = top_up_judging(database_url)
    env = cpevents_env(database_url, production=True, secret_key=random_secret_key())
    rows = []
    with Gunicorn(f"cpevents-{label}", "wsgi:app", env, logs, "/healthz") as server:
        cookie = sign_in_as_demo_organiser(server.port)
        path = f"/events/{event_id}/judging/ranking"
        status, html, _ = _request(server.port, "GET", path, cookie)
        assert status == 200 and html.count("/judging/files/") >= FILES, (status, html.count("/judging/files/"))
        load = wrk(server.port, path, duration, cookie)
        rows.append(("ranking", label, load.requests_per_s, load.p99_ms, load.requests_per_s / bare_rps, load.non_2xx_3xx))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL at 127.0.0.1:5432")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cpevents-bench-"))
    with Gunicorn("bare", "hello_app:app", dict(os.environ), logs, "/", pythonpath=Path(__file__).resolve().parent) as bare:
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
    print(f"\n{FILES} files x {JUDGES} judges; bare Flask app: {base.requests_per_s:.0f} requests/s, p99 {base.p99_ms:.1f} ms")
    print(f"{'page':<10} {'database':<11} {'requests/s':>11} {'p99 ms':>8} {'ratio':>6} {'errors':>7}")
    for name, label, rps, p99, ratio, errors in rows:
        print(f"{name:<10} {label:<11} {rps:>11.0f} {p99:>8.1f} {ratio:>6.2f} {errors:>7}")
    met = all(ratio >= 0.10 for *_, ratio, _ in rows)
    print("\nRanking target (10% of the bare app) met." if met else "\nRanking target (10% of the bare app) NOT met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
