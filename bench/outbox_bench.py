"""Outbox figures: queue 500 emails in one request's transaction, then deliver them.

What it measures
    1. Queueing: 500 calls to queue_email() (each renders the plain-text and HTML templates and
       adds an outbox row) and one commit, inside a request context, as a view that invites 500
       people would do. Target: under 2 seconds.
    2. Delivery: the worker (`work_once()`, what `flask outbox work` runs) sending those 500
       messages over real SMTP to a local aiosmtpd sink running in a separate process.
       Target: 50 or more messages per second.
    On SQLite (a fresh file) and, when a server answers on 127.0.0.1:5432, on PostgreSQL (schema
    cpevents_bench_outbox, dropped afterwards).

How to run
    .venv/bin/python bench/outbox_bench.py [--count 500]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
print(Count.n, flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def run(database_url: str, count: int, label: str) -> dict:
    from flask_migrate import upgrade

    from cpevents import create_app
    from cpevents.config import TestConfig
    from cpevents.extensions import db
    from cpevents.mail.services import queue_email, start_batch, work_once

    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_PORT": port})
        with app.app_context():
            upgrade()
        with app.test_request_context("/emails", method="POST"):
            started = time.perf_counter()
            batch = start_batch(f"Benchmark batch of {count}")
            for i in range(count):
                queue_email("accounts/invitation", to=f"guest{i}@example.org", subject="An invitation for you", batch=batch,
                            name=f"Guest {i}", invited_by="The participation team", roles=["Judge"], link="http://127.0.0.1/set-password/x", days=7)
            db.session.commit()
            queue_seconds = time.perf_counter() - started
        with app.app_context():
            started = time.perf_counter()
            result = work_once()
            send_seconds = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
        sink.stdin.close()
        received = int(sink.stdout.readline().strip())
    finally:
        sink.kill() if sink.poll() is None else None
    return {
        "database": label,
        "queue_seconds": queue_seconds,
        "sent": result["sent"],
        "received": received,
        "send_seconds": send_seconds,
        "per_second": result["sent"] / send_seconds if send_seconds else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("CPEVENTS_ENV", "test")
    results = [run(f"sqlite:///{tempfile.mkdtemp()}/outbox.sqlite3", args.count, "SQLite")]
    if postgres_up():
        from sqlalchemy import create_engine, text

        engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS cpevents_bench_outbox CASCADE"))
            conn.execute(text("CREATE SCHEMA cpevents_bench_outbox"))
        try:
            results.append(run("postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dcpevents_bench_outbox", args.count, "PostgreSQL"))
        finally:
            with engine.connect() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS cpevents_bench_outbox CASCADE"))
    else:
        print("PostgreSQL is not running on 127.0.0.1:5432: measured SQLite only")
    print(f"\n{'database':<11} {'queue ' + str(args.count) + ' (s)':>16} {'target':>8} {'sent':>6} {'received':>9} {'deliver (s)':>12} {'msg/s':>8} {'target':>8}")
    for r in results:
        print(
            f"{r['database']:<11} {r['queue_seconds']:>16.2f} {'< 2 s':>8} {r['sent']:>6} {r['received']:>9} {r['send_seconds']:>12.2f} "
            f"{r['per_second']:>8.0f} {'>= 50':>8}"
        )
    ok = all(r["queue_seconds"] < 2 and r["per_second"] >= 50 and r["received"] == args.count for r in results)
    print("\nBoth targets met." if ok else "\nA target was NOT met (see above).")


if __name__ == "__main__":
    main()
