"""Every kind of page, as every demo role sees it: p50/p95 and SQL statements per request.

What it measures
    cpevents runs under gunicorn (2 sync workers, CPEVENTS_ENV=production, rate limiting off as in
    http_bench.py, and SQL_COUNT_HEADER on so each response says how many SQL statements it ran) on
    SQLite, or on PostgreSQL with --postgres (schema `cpevents_pages_bench`, dropped afterwards). The
    database gets `flask db upgrade`, `flask seed-demo --scale N` when --scale is given, then
    `flask seed-demo --json` (the demo accounts, their second-factor secrets and personal links).

    The bench signs in as every demo role (organiser, nominator, judge, young judge, champion,
    board, door helper), opens the young person's personal links (invitation, nominee, feedback,
    and one it makes for an invitation already answered "yes") and stays signed out for the
    public pages (measured once, for the signed-out visitor). It walks app.url_map: every GET route, its
    parameters filled with real ids from the database (a few candidates of each kind; the first
    that answers 200 for that role is the one measured), asked once by each of those visitors. Each
    (page, visitor) that answers 200 is requested --repeat times, one request at a time; the
    table gives p50 and p95 of the response time seen by the client and the SQL statements of the
    last request. Routes it does not visit are listed at the end with the reason (downloads,
    one-time tokens from emails, static files).

How to run
    .venv/bin/python bench/pages_bench.py                 # SQLite, the demo data alone (scale 0)
    .venv/bin/python bench/pages_bench.py --postgres      # PostgreSQL on 127.0.0.1:5432
    .venv/bin/python bench/pages_bench.py --scale 10 --postgres --repeat 30

The rows are also written as JSON to bench/results/pages-<database>-scale<N>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Client, percentile, sign_in  # noqa: E402
from http_bench import (  # noqa: E402
    BENCH,
    PG_ADMIN_URL,
    ROOT,
    Gunicorn,
    cpevents_env,
    postgres_unavailable_reason,
    random_secret_key,
)

PG_SCHEMA = "cpevents_pages_bench"  # not http_bench's: both may run at once
PG_URL = f"{PG_ADMIN_URL}?options=-csearch_path%3D{PG_SCHEMA}"
SEED_TIMEOUT = 3 * 3600  # seconds: --scale 10 seeds a lot
CANDIDATES = 4  # ids of each kind tried per page
SQL_HEADER = "x-sql-statements"

DOWNLOAD = re.compile(r"\.(csv|xlsx|pdf|zip|ics|json)$|<any\(csv, xlsx\):fmt>$|\.html$")

# Routes never visited, and why (checked against the URL map by tests/core/test_pages_bench.py).
SKIP_REASONS = {
    "static": "static files (served by the web server in production, not by Flask)",
    "download": "a download (CSV, XLSX, PDF, ZIP, calendar or JSON): measured by the export benches, not as a page",
    "one-time token": "a one-time token sent by email (verify, reset, set password, confirm, cancel): none in the demo data, and opening one uses it up",
}
ONE_TIME_TOKENS = {
    "accounts.verify_email",
    "accounts.reset_password",
    "accounts.set_password",
    "champions.confirm",
    "registrations.cancel",
}
# Personal links: opened once by their own visitor (the young person), never filled from the URL map.
PERSONAL_LINKS = {"rsvp.open_link": "rsvp_link", "nominees.open_link": "nominee_link", "feedback_link.open_link": "feedback_link"}
# The same route, with a link the bench makes for an invitation already answered "yes".
EXTRA_LINKS = {"coming_link": "young person (invitation, coming)"}

# The segment before a <uuid:...> part names what the id is (the model's key in `lookups`).
SEGMENT_KIND = {
    "achievements": "achievement",
    "pledges": "pledge",
    "applications": "champion",
    "door": "door_code",
    "guests": "guest",
    "invitations": "invitation",
    "emails": "outbox_message",
    "erasure": "erasure",
    "events": "event",
    "audiences": "audience",
    "categories": "category",
    "running-order": "category",
    "tables": "seating_table",
    "changes": "change",
    "messages": "message",
    "judging": "assignment",
    "criteria": "criterion",
    "files": "file",
    "judges": "panel_judge",
    "nominations": "nomination",
    "nomination-files": "file",
    "people": "user",
    "registrations": "registration",
    "winners": "winners_event",
    "young-people": "young_person",
    "merge": "young_person",
    "your-young-people": "young_person",
}
# Kinds whose rows belong to an event: on /events/<public_id>/<kind>/<id> both ids come from the row.
EVENT_CHILDREN = {"audience", "category", "change", "message"}


def route_kind(rule) -> str | None:
    """Why a GET route is not visited (a key of SKIP_REASONS), or None when it is."""
    if rule.endpoint == "static":
        return "static"
    if rule.endpoint in ONE_TIME_TOKENS:
        return "one-time token"
    if DOWNLOAD.search(rule.rule):
        return "download"
    return None


def parts(rule) -> list[tuple[str, str]]:
    """(segment before it, argument name) for each variable part of the rule, in order."""
    found = []
    for match in re.finditer(r"<(?:[^:<>]+:)?([a-z_]+)>", rule.rule):
        before = rule.rule[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        found.append((before, match.group(1)))
    return found


def fill(rule, lookups: Callable[[str], list[dict[str, str]]], slugs: list[str]) -> list[str]:
    """Up to CANDIDATES real addresses for `rule` (empty when the database has none of its kind).
    `lookups(kind)` gives rows as {"public_id": ..., "event": ...} for each kind."""
    args = parts(rule)
    names = [name for _, name in args]
    if not args:
        return [rule.rule]
    values: list[dict[str, str]] = []
    if rule.endpoint == "young_people.merge":
        people = lookups("young_person")
        values = [{"first_id": a["public_id"], "second_id": b["public_id"]} for a, b in zip(people, people[1:], strict=False)]
    elif rule.endpoint == "nominations.step":
        values = [{"public_id": n["public_id"], "slug": s} for n in lookups("nomination") for s in slugs[:1]]
    elif len(args) == 2 and args[0][0] == "events" and SEGMENT_KIND.get(args[1][0]) in EVENT_CHILDREN:
        values = [{names[0]: row["event"], names[1]: row["public_id"]} for row in lookups(SEGMENT_KIND[args[1][0]])]
    elif len(args) == 1:
        kind = SEGMENT_KIND.get(args[0][0])
        if kind is None:
            raise KeyError(f"no kind for {rule.rule}")
        values = [{names[0]: row["public_id"]} for row in lookups(kind)]
    else:
        raise KeyError(f"no way to fill {rule.rule}")
    urls = []
    for value in values[:CANDIDATES]:
        path = rule.rule
        for name, val in value.items():
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", val, path)
        urls.append(path)
    return urls


def plan(app) -> tuple[list, dict[str, str]]:
    """The GET routes to visit, and the others with why they are skipped."""
    visit, skipped = [], {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint in PERSONAL_LINKS:
            continue  # opened by the young person's own visitor
        reason = route_kind(rule)
        if reason:
            skipped[rule.rule] = SKIP_REASONS[reason]
        else:
            visit.append(rule)
    return visit, skipped


# --- the database -----------------------------------------------------------------------------


def flask(database_url: str, *args: str) -> str:
    env = cpevents_env(database_url, production=False)
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(database_url: str, scale: int) -> dict:
    flask(database_url, "db", "upgrade")
    if scale > 0:
        print(f"  flask seed-demo --scale {scale} ...", flush=True)
        flask(database_url, "seed-demo", "--scale", str(scale))
    out = flask(database_url, "seed-demo", "--json")
    return json.loads(out[out.index("{") :])


def read_ids(database_url: str, door_event: str = "") -> tuple[object, dict[str, list[dict[str, str]]], list[str]]:
    """The app (for its URL map) and a few real ids of each kind, the demo's first."""
    os.environ.update(CPEVENTS_ENV="development", DATABASE_URL=database_url)
    from sqlalchemy import select

    from cpevents import create_app
    from cpevents.accounts.models import User
    from cpevents.achievements.models import Achievement
    from cpevents.champions.models import Champion, ChampionPledge
    from cpevents.events.models import AwardCategory, Event, EventChange
    from cpevents.extensions import db
    from cpevents.invitations.models import Guest, Invitation, InvitationStatus
    from cpevents.judging.models import Assignment, Criterion, PanelJudge
    from cpevents.mail.models import OutboxMessage
    from cpevents.nominations.models import Nomination, NominationFile, NominationStatus
    from cpevents.nominations.views import STEPS
    from cpevents.notices.models import EventMessage
    from cpevents.privacy.models import ErasureRequest
    from cpevents.public.winners import published_events
    from cpevents.registrations.models import EventAudience, Registration
    from cpevents.seating.models import SeatingTable
    from cpevents.young_people.models import YoungPerson, YoungPersonWorker

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": url})
    kinds = {
        "achievement": Achievement, "pledge": ChampionPledge, "champion": Champion, "guest": Guest, "invitation": Invitation,
        "outbox_message": OutboxMessage, "erasure": ErasureRequest, "event": Event, "audience": EventAudience, "category": AwardCategory,
        "change": EventChange, "message": EventMessage, "assignment": Assignment, "criterion": Criterion, "file": NominationFile,
        "panel_judge": PanelJudge, "nomination": Nomination, "user": User, "registration": Registration, "young_person": YoungPerson,
        "seating_table": SeatingTable,
    }  # fmt: skip
    found: dict[str, list[dict[str, str]]] = {}
    with app.app_context():

        def rows(model, query=None, n=CANDIDATES) -> list[dict[str, str]]:
            query = query if query is not None else select(model)
            out = []
            for row in db.session.execute(query.order_by(model.id).limit(n)).scalars():
                event = getattr(row, "event", None)
                out.append({"public_id": row.public_id, "event": event.public_id if event is not None else ""})
            return out

        for kind, model in kinds.items():
            found[kind] = rows(model)
        # The ones a demo visitor owns come first: the nominator's nominations and young people,
        # the champion's pledges, the judges' assignments, a guest added at the door.
        demo = {u.email: u.id for u in db.session.execute(select(User).where(User.is_demo.is_(True))).scalars()}
        nominator, champion = demo.get("nominator@demo.example.org"), demo.get("champion@demo.example.org")
        mine = select(Nomination).where(Nomination.nominator_id == nominator)
        found["nomination"] = (
            rows(Nomination, mine.where(Nomination.status == NominationStatus.DRAFT), 1)
            + rows(Nomination, mine.where(Nomination.status == NominationStatus.SENT), 1)
            + rows(Nomination, select(Nomination).where(Nomination.status == NominationStatus.SENT, Nomination.file_id.is_(None)), 1)  # to match
            + found["nomination"]
        )
        found["young_person"] = (
            rows(YoungPerson, select(YoungPerson).join(YoungPersonWorker).where(YoungPersonWorker.user_id == nominator), 2) + found["young_person"]
        )
        found["pledge"] = rows(ChampionPledge, select(ChampionPledge).join(Champion).where(Champion.user_id == champion), 2) + found["pledge"]
        judges = [demo.get("judge@demo.example.org"), demo.get("young.judge@demo.example.org")]
        found["assignment"] = (
            rows(Assignment, select(Assignment).join(PanelJudge).where(PanelJudge.user_id.in_(judges)), 2) + found["assignment"]
        )
        # The demo's own events first: the PROUD Awards (nominations, judging, invitations), then
        # today's door event; then the oldest ones.
        proud = rows(Event, select(Event).where(Event.name == "PROUD Awards (demo)"), 1)
        door = rows(Event, select(Event).where(Event.public_id == door_event), 1) if door_event else []
        found["event"] = proud + door + found["event"]
        found["winners_event"] = [{"public_id": e.public_id, "event": ""} for e in published_events()[:CANDIDATES]]
        found["door_code"] = [
            {"public_id": i.door_code, "event": ""}
            for i in db.session.execute(select(Invitation).where(Invitation.status == InvitationStatus.COMING).order_by(Invitation.id.desc()).limit(CANDIDATES)).scalars()
        ]
        # A second young person: one who said yes (the demo's own link is for one who has not
        # replied), so the guests, needs, choices and door-code pages are measured too. A new
        # link for the bench's own database only.
        from flask import current_app

        from cpevents.invitations.services import issue_link

        coming = db.session.execute(
            select(Invitation).where(Invitation.status == InvitationStatus.COMING).order_by(Invitation.id).limit(1)
        ).scalar_one_or_none()
        if coming is not None:
            with current_app.test_request_context():
                found["coming_link"] = [{"public_id": issue_link(coming), "event": ""}]
            db.session.commit()
    for kind, candidates in found.items():  # each id once, in order
        first: dict[str, dict[str, str]] = {}
        for row in candidates:
            first.setdefault(row["public_id"], row)
        found[kind] = list(first.values())
    return app, found, [step.slug for step in STEPS]


# --- visiting ---------------------------------------------------------------------------------


def path_of(link: str) -> str:
    parts_ = urlsplit(link)
    return parts_.path + (f"?{parts_.query}" if parts_.query else "")


def visitors(port: int, data: dict) -> Iterable[tuple[str, Client]]:
    """(name, client): a signed-out visitor first, then each demo role and each personal link."""
    yield "signed out", Client(port)
    for account in data["accounts"]:
        if account.get("pending"):
            continue
        name = "young judge" if account.get("young_judge") else ", ".join(account["roles"])
        yield name, sign_in(port, account["email"], account["password"], account.get("totp_secret"))
    for endpoint, key in PERSONAL_LINKS.items():
        link = data.get(key)
        if not link:
            print(f"  no {key} in the demo data: {endpoint} not visited", flush=True)
            continue
        client = Client(port)
        opened = client.get(path_of(link))
        if opened.status not in (200, 302, 303):
            print(f"  {key} answered {opened.status}: skipped", flush=True)
            continue
        yield f"young person ({key.replace('_', ' ')})", client
    for key, name in EXTRA_LINKS.items():
        if data.get(key):
            client = Client(port)
            if client.get(path_of(data[key])).status in (200, 302, 303):
                yield name, client


def measure(client: Client, path: str, repeat: int) -> dict:
    times, statements = [], ""
    for _ in range(repeat):
        response = client.get(path)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status} while being measured")
        times.append(response.elapsed_ms)
        statements = response.headers.get(SQL_HEADER, "?")
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "statements": statements}


def run(database: str, database_url: str, scale: int, repeat: int, logs: Path) -> dict:
    print(f"Preparing {database} (scale {scale}) ...", flush=True)
    data = prepare(database_url, scale)
    app, ids, slugs = read_ids(database_url, data.get("door_event", ""))
    if ids.get("coming_link"):
        data["coming_link"] = ids["coming_link"][0]["public_id"]
    visit, skipped = plan(app)
    env = cpevents_env(database_url, production=True, secret_key=random_secret_key())
    env["SQL_COUNT_HEADER"] = "true"
    rows: list[dict] = []
    reached: set[str] = set()
    unfilled: dict[str, str] = {}
    public: set[str] = set()
    with Gunicorn(f"pages-{database.lower()}", "wsgi:app", env, logs, "/healthz") as server:
        for who, client in visitors(server.port, data):
            count = 0
            for rule in visit:
                if rule.rule in public:
                    continue  # a public page, measured once for the signed-out visitor
                urls = fill(rule, lambda kind: ids.get(kind, []), slugs)
                if not urls:
                    unfilled[rule.rule] = "no row of its kind in the database"
                    continue
                for path in urls:
                    if client.get(path).status == 200:
                        rows.append({"page": rule.rule, "visitor": who, "path_kind": rule.endpoint, **measure(client, path, repeat)})
                        reached.add(rule.rule)
                        count += 1
                        break
            if who == "signed out":
                public = set(reached)
            print(f"  {who}: {count} pages", flush=True)
            client.close()
    never = {r.rule: unfilled.get(r.rule, "no demo visitor got a 200 (a redirect to another step, or a state the demo data is not in)") for r in visit if r.rule not in reached}
    return {"database": database, "scale": scale, "repeat": repeat, "rows": rows, "skipped": skipped, "not_reached": never}


# --- report -----------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    rows = result["rows"]
    print(f"\n{result['database']}, scale {result['scale']}: {len(rows)} (page, visitor) pairs, {result['repeat']} requests each")
    width = max(len(r["page"]) for r in rows) if rows else 10
    who_width = max(len(r["visitor"]) for r in rows) if rows else 10
    header = f"{'page':<{width}}  {'visitor':<{who_width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'SQL':>4}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['page']:<{width}}  {r['visitor']:<{who_width}}  {r['p50_ms']:>7.1f}  {r['p95_ms']:>7.1f}  {r['statements']:>4}")
    all_p50 = [r["p50_ms"] for r in rows]
    if all_p50:
        print(f"\nAcross pages: median p50 {percentile(all_p50, 50):.1f} ms; worst p95 {max(r['p95_ms'] for r in rows):.1f} ms")
    print("\nThe slowest ten (by p95):")
    for r in sorted(rows, key=lambda r: r["p95_ms"], reverse=True)[:10]:
        print(f"  {r['p95_ms']:>7.1f} ms p95  {r['p50_ms']:>6.1f} ms p50  {r['statements']:>4} SQL  {r['page']}  ({r['visitor']})")
    print("\nMost SQL statements (top ten):")
    for r in sorted(rows, key=lambda r: int(r["statements"]) if str(r["statements"]).isdigit() else 0, reverse=True)[:10]:
        print(f"  {r['statements']:>4} SQL  {r['page']}  ({r['visitor']})")
    print("\nNot visited (skipped on purpose):")
    for rule, reason in sorted(result["skipped"].items()):
        print(f"  {rule}: {reason}")
    print("\nVisited but no visitor got a 200:")
    for rule, reason in sorted(result["not_reached"].items()):
        print(f"  {rule}: {reason}")


def markdown(result: dict) -> str:
    """The table as Markdown, for the README (one row per page and visitor, slowest ten after)."""
    rows = result["rows"]
    lines = [f"{result['database']}, scale {result['scale']}, {result['repeat']} requests each", "",
             "| page | visitor | p50 ms | p95 ms | SQL |", "| --- | --- | ---: | ---: | ---: |"]
    lines += [f"| `{r['page']}` | {r['visitor']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['statements']} |" for r in rows]
    lines += ["", "Slowest ten (by p95):", "", "| page | visitor | p50 ms | p95 ms | SQL |", "| --- | --- | ---: | ---: | ---: |"]
    lines += [f"| `{r['page']}` | {r['visitor']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['statements']} |"
              for r in sorted(rows, key=lambda r: r["p95_ms"], reverse=True)[:10]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432 instead of SQLite")
    parser.add_argument("--scale", type=int, default=0, help="flask seed-demo --scale N on top of the demo: N large councils (default 0: the demo alone)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and visitor (default 20)")
    args = parser.parse_args()
    if not 1 <= args.repeat <= 1000:
        parser.error("--repeat must be between 1 and 1000")
    if args.scale < 0:
        parser.error("--scale must be 0 (the demo alone) or more")
    with tempfile.TemporaryDirectory(prefix="cpevents-pages-") as tmp:
        logs = Path(tmp)
        if args.postgres:
            reason = postgres_unavailable_reason()
            if reason:
                print(f"PostgreSQL is not reachable on 127.0.0.1:5432: {reason}")
                return 1
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
                conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")
            try:
                result = run("PostgreSQL", PG_URL, args.scale, args.repeat, logs)
            finally:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        else:
            result = run("SQLite", f"sqlite:///{logs / 'pages.sqlite3'}", args.scale, args.repeat, logs)
    print_report(result)
    result["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    out = BENCH / "results" / f"pages-{result['database'].lower()}-scale{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(result))
    print(f"\nWritten to {out.relative_to(ROOT)} and {out.with_suffix('.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
