"""The door list without signal (issue 18): how big the page is, and how long a phone takes to be
ready to work offline.

What it measures
    * Size: the door list page of an event with N young people coming (default 60, two guests
      each) and every file it needs offline (stylesheet, scripts, icons, the service worker and the
      manifest), in bytes as sent and gzipped (level 6, as a reverse proxy would).
    * First offline-ready load: in headless Chromium on a phone-sized screen (390x844), a door
      helper already signed in opens the door list for the first time on this phone; the clock
      runs from navigation to the page being saved by the service worker (the worker installed and
      active, the page in its cache: the page marks <html data-door-offline="ready">). Also the time
      to the page's load event, and a reload with no signal (served by the service worker).
      Each run is a fresh browser context (nothing saved yet); median and worst of --runs.
    The app runs as gunicorn -w 2 (development configuration, so the session cookie works over
    http://127.0.0.1, a secure context for service workers) on SQLite with demo data plus the
    bench's event today. No network throttling: these are figures for the phone's own work and a
    fast link; a slow venue link adds its transfer time for the gzipped bytes.

How to run
    .venv/bin/python bench/door_offline_bench.py [--young-people 60] [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from door_bench import PASSWORD, Session, _app, make_event  # noqa: E402
from http_bench import HOST, Gunicorn, cpevents_env, prepare_database  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


def approve(database: str, emails: list[str]) -> None:
    """The bench's door helpers, approved (the development configuration vets new accounts)."""
    from cpevents.accounts.models import user_by_email
    from cpevents.core.time import utcnow
    from cpevents.extensions import db

    app = _app(database)
    with app.app_context():
        for email in emails:
            user_by_email(email).approved_at = utcnow()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def sizes(session: Session, page: str) -> list[tuple[str, int, int]]:
    """(path, bytes, gzipped bytes) for the page and every file it needs offline."""
    session.conn.request("GET", page, headers={"Cookie": session.cookie})
    response = session.conn.getresponse()
    html = response.read()
    if response.status != 200 or b"Door list:" not in html:
        raise RuntimeError(f"GET {page} gave {response.status}, not the door list")
    rows = [(page, len(html), len(gzip.compress(html, 6)))]
    text = html.decode()
    paths = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', text)) | {"/door/sw.js", "/door/manifest.webmanifest",
                                                                                 "/static/js/govuk-frontend.min.js", "/static/js/door-taps.js"})
    for path in paths:
        session.conn.request("GET", path, headers={"Cookie": session.cookie})
        body = session.conn.getresponse().read()
        rows.append((path, len(body), len(gzip.compress(body, 6))))
    return rows


def offline_ready(base: str, email: str, page: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(runs):
                context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
                tab = context.new_page()
                tab.goto(base + "/sign-in")
                tab.get_by_label("Email address", exact=True).fill(email)
                tab.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
                with tab.expect_navigation():
                    tab.get_by_role("button", name="Sign in").click()
                start = time.perf_counter()
                tab.goto(base + page, wait_until="load")
                loaded = time.perf_counter()
                tab.wait_for_selector("html[data-door-offline=ready]", state="attached", timeout=30_000)
                ready = time.perf_counter()
                context.set_offline(True)
                again = time.perf_counter()
                response = tab.reload(wait_until="load")
                offline = time.perf_counter()
                assert response is not None and response.from_service_worker, "the offline reload did not come from the service worker"
                results.append({"load": (loaded - start) * 1000, "ready": (ready - start) * 1000, "offline_reload": (offline - again) * 1000})
                context.close()
        finally:
            browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--young-people", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="cpevents-door-offline-bench-"))
    database = f"sqlite:///{logs}/bench.sqlite3"
    prepare_database(database)
    event = make_event(database, "Door offline bench", args.young_people)
    page = f"/door/events/{event['event']}"
    approve(database, event["helpers"])
    with Gunicorn("cpevents-door-offline", "wsgi:app", cpevents_env(database, production=False), logs, "/healthz") as server:
        session = Session(server.port)
        session.sign_in(event["helpers"][0])
        rows = sizes(session, page)
        runs = offline_ready(f"http://{HOST}:{server.port}", event["helpers"][1], page, args.runs)
    print(f"Door list of {args.young_people} young people coming with 2 guests each ({len(rows)} files):")
    for path, raw, packed in rows:
        print(f"  {path:<52} {raw:>9,} B  {packed:>8,} B gzipped")
    total, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"  {'total':<52} {total:>9,} B  {total_gz:>8,} B gzipped")
    for key, label in (("load", "page loaded"), ("ready", "offline-ready (worker active, page saved)"), ("offline_reload", "reload with no signal")):
        values = [r[key] for r in runs]
        print(f"{label}, {PHONE['width']}x{PHONE['height']}, {len(values)} runs: median {statistics.median(values):.0f} ms, worst {max(values):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
