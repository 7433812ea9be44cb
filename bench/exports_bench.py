"""Downloads at size: a guest list and a nominations export of 10,000 rows, CSV and XLSX (issue 19).

What it measures
    On a fresh database (the demo data, then bulk-inserted with cpevents/demo_scale.py's Loader):
    one upcoming event with ROWS invitations (young people coming, most with guests) and one
    PROUD Awards with ROWS sent nominations, and the same again with ROWS / 10 of each, to compare.
    cpevents runs under gunicorn with ONE sync worker (production settings), signed in as the
    demo organiser. For each download (guest list, nominations; CSV, XLSX; small, then large) a
    fresh server is started, warmed up (two pages), and the worker's memory high-water mark
    (VmHWM in /proc/<worker>/status) is read before and after the download: "peak" is the
    high-water mark after, "growth" what the download added to it. Constant memory means the
    growth of the large download is about that of the small one, not ten times it.

How to run
    .venv/bin/python bench/exports_bench.py [--postgres] [--rows 10000]

PostgreSQL uses a schema of its own, `cpevents_exports_bench`, dropped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import http_bench  # noqa: E402
from http_bench import (  # noqa: E402
    HOST,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    prepare_database,
    random_secret_key,
)
from nominations_bench import sign_in_as_demo_organiser  # noqa: E402

PG_ADMIN_URL = f"postgresql://postgres@{HOST}:5432/test"
SCHEMA = "cpevents_exports_bench"
PG_URL = f"{PG_ADMIN_URL}?options=-csearch_path%3D{SCHEMA}"


def reset_schema(*, create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {SCHEMA}")


def build(database_url: str, sizes: list[int]) -> dict[int, tuple[str, str]]:
    """For each size: an event with that many invitations (with guests) and a PROUD Awards with
    that many sent nominations. Returns {size: (guest list event id, nominations event id)}."""
    os.environ.update(DATABASE_URL=database_url, CPEVENTS_ENV="development")
    from sqlalchemy import select

    from cpevents import create_app
    from cpevents.accounts.models import User
    from cpevents.core.time import utcnow
    from cpevents.demo_scale import (
        FIRST_NAMES,
        LAST_NAMES,
        NOMINATION_TEXTS,
        Loader,
        _accounts,
        _pid,
        _young_people,
    )
    from cpevents.events.models import EventKind
    from cpevents.events.services import create_event
    from cpevents.extensions import db
    from cpevents.invitations.models import (
        AgeGroup,
        Guest,
        GuestApproval,
        Invitation,
        InvitationStatus,
        ReplyHow,
    )
    from cpevents.nominations.models import Nomination, NominationStatus, YesNo
    from cpevents.young_people.models import WorkerRelationship

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    made = {}
    with app.app_context():
        organiser = db.session.execute(select(User).where(User.email == "organiser@demo.example.org")).scalar_one()
        nominator = db.session.execute(select(User).where(User.email == "nominator@demo.example.org")).scalar_one()
        load = Loader(scale=max(sizes) / 3000, organiser=organiser, nominator=nominator, progress=False)
        rng, now = load.rng, utcnow()
        accounts = _accounts(load, 12)
        people = _young_people(load, max(sizes), accounts)
        for size in sizes:
            party = create_event(kind=EventKind.OTHER, name=f"Export bench party ({size:,})", starts_at=now + timedelta(days=60),
                                 venue="County Hall", capacity=None, description="Bench data.", min_age=11, max_age=25, by=organiser)
            proud = create_event(kind=EventKind.PROUD_AWARDS, name=f"Export bench PROUD Awards ({size:,})", starts_at=now + timedelta(days=90),
                                 venue="County Hall", capacity=None, description="Bench data.", min_age=11, max_age=25, by=organiser)
            db.session.flush()
            categories = [c.id for c in proud.categories]
            chosen = people[:size]
            load.insert(Invitation, ({
                "public_id": _pid(), "event_id": party.id, "young_person_id": p.id, "status": InvitationStatus.COMING,
                "door_code": _pid(), "dietary": rng.choice(["", "vegetarian", "halal"]), "access": rng.choice(["", "", "wheelchair"]),
                "replied_at": now - timedelta(days=3), "replied_how": ReplyHow.LINK, "sent_at": now - timedelta(days=10),
                "letter_needed": not p.email, "added_by_id": organiser.id, "created_at": now - timedelta(days=11), "updated_at": now,
            } for p in chosen), size)
            ids = dict(db.session.execute(select(Invitation.young_person_id, Invitation.id).where(Invitation.event_id == party.id)).tuples().all())

            def guests(chosen=chosen, ids=ids):
                for p in chosen:
                    for position in range(rng.choice([0, 1, 1, 2, 3])):
                        yield {"public_id": _pid(), "invitation_id": ids[p.id], "position": position,
                               "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "age_group": AgeGroup.ADULT,
                               "approval": GuestApproval.CONFIRMED, "dietary": rng.choice(["", "vegetarian"])}

            load.insert(Guest, guests(), size * 2)
            load.insert(Nomination, ({
                "public_id": _pid(), "created_at": now - timedelta(days=5), "updated_at": now, "event_id": proud.id,
                "category_id": rng.choice(categories), "nominator_id": rng.choice(accounts.nominators), "status": NominationStatus.SENT,
                "first_name": p.first, "last_name": p.last, "date_of_birth": p.dob, "care_status": p.care_status, "district": p.district,
                "young_person_id": p.id, "relationship_type": rng.choice(list(WorkerRelationship)), "worked_with_recently": True,
                "achievement": rng.choice(NOMINATION_TEXTS).format(name=p.first), "background": "Background (fictional).",
                "young_person_knows": YesNo.YES, "public_concern": YesNo.NO, "furthest_page": "check", "submitted_at": now - timedelta(days=4),
            } for p in chosen), size)
            made[size] = (party.public_id, proud.public_id)
        db.session.commit()
    return made


def worker_pid(master: int) -> int:
    for _ in range(50):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def fetch(port: int, path: str, cookie: str) -> tuple[int, int, float]:
    """Status, bytes and seconds of one GET, reading the body as it streams."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    size = 0
    while chunk := response.read(65536):
        size += len(chunk)
    conn.close()
    return response.status, size, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (127.0.0.1:5432) rather than a SQLite file")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the large downloads (default 10,000; the small ones have a tenth)")
    args = parser.parse_args()
    if args.postgres and (reason := postgres_unavailable_reason()):
        print(f"PostgreSQL not reachable: {reason}")
        return 1
    http_bench.GUNICORN_WORKERS = 1  # one worker, so its memory is the download's
    sizes = [max(1, args.rows // 10), args.rows]
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Downloads on {database}, {sizes[0]:,} and {sizes[1]:,} rows; gunicorn -w 1 (sync), production settings.")
    print(f"Machine: {os.cpu_count()} CPUs, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (shared: figures under load).", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="cpevents-exports-") as tmp:
        logs = Path(tmp)
        url = PG_URL if args.postgres else f"sqlite:///{logs / 'exports.sqlite3'}"
        if args.postgres:
            reset_schema(create=True)
        try:
            prepare_database(url)
            started = time.perf_counter()
            events = build(url, sizes)
            print(f"Built {sum(sizes):,} invitations and as many nominations in {time.perf_counter() - started:.0f} s.", flush=True)
            env = cpevents_env(url, production=True, secret_key=random_secret_key())
            with Gunicorn("exports-sign-in", "wsgi:app", env, logs, "/healthz") as server:
                # Signing in hashes a password (memory-hard): on a server of its own, so no
                # measured worker carries that high-water mark.
                cookie = sign_in_as_demo_organiser(server.port)
            for export in ("guest list", "nominations"):
                for fmt in ("csv", "xlsx"):
                    for size in sizes:
                        party, proud = events[size]
                        path = f"/events/{party}/invitations.{fmt}" if export == "guest list" else f"/events/{proud}/nominations.{fmt}?background=y"
                        with Gunicorn(f"exports-{export[0]}-{fmt}-{size}", "wsgi:app", env, logs, "/healthz") as server:
                            pid = worker_pid(server.proc.pid)
                            for warm in ("/healthz", "/"):  # the app's code and templates loaded
                                fetch(server.port, warm, cookie)
                            before = hwm_kb(pid)
                            status, size_bytes, seconds = fetch(server.port, path, cookie)
                            after = hwm_kb(pid)
                        if status != 200:
                            raise RuntimeError(f"GET {path} answered {status}")
                        results.append((export, fmt, size, seconds, size_bytes, after / 1024, (after - before) / 1024))
                        print(f"  {export} {fmt} {size:,} rows: {seconds:.2f} s, {size_bytes / 1e6:.2f} MB, "
                              f"worker peak {after / 1024:.0f} MB (+{(after - before) / 1024:.1f} MB)", flush=True)
        finally:
            if args.postgres:
                reset_schema(create=False)
    print()
    print("| download | format | rows | seconds | size MB | worker peak MB | growth MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for export, fmt, size, seconds, size_bytes, peak, growth in results:
        print(f"| {export} | {fmt.upper()} | {size:,} | {seconds:.2f} | {size_bytes / 1e6:.2f} | {peak:.0f} | {growth:.1f} |")
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
