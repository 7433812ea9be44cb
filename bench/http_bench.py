"""HTTP throughput of cpevents compared with a bare Flask app, both under gunicorn on this machine.

What it measures
    Requests per second and 99th-percentile latency for:
      * a bare Flask app returning "hello" (bench/hello_app.py), the baseline;
      * cpevents GET /healthz (one `SELECT 1` on the database);
      * cpevents GET /sign-in (a full page: templates, CSRF token, session cookie);
    with cpevents on SQLite (a fresh file seeded with the demo data) and, when a PostgreSQL
    server answers on 127.0.0.1:5432 (user postgres, database `test`), on PostgreSQL as well
    (in a schema `cpevents_bench` that is dropped and created again for each run).

    Every app runs as `gunicorn -w 2` (sync workers) on 127.0.0.1, cpevents with its production
    configuration. Rate limiting is switched off (RATELIMIT_ENABLED=false) so that the limiter does
    not turn the load away. One server runs at a time; the load comes from the same machine, so the
    load generator competes with the server for CPU and the numbers are only comparable with each
    other, which is why the table gives each result as a ratio to the bare app. The target is that
    the sign-in page reaches 25% or more of the bare app's requests per second.

    The load comes from `wrk --latency` (2 threads, 20 connections) when wrk is installed, and
    otherwise from a small Python load generator in this file (8 threads, one keep-alive
    connection each), which is itself slower than wrk and gives lower absolute numbers.

How to run
    make bench                                          # 10 seconds per measurement
    .venv/bin/python bench/http_bench.py --duration 5   # shorter
    .venv/bin/python bench/http_bench.py --load python  # force the Python load generator

The table is printed and also written as JSON to bench/results/latest.json (git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS_FILE = BENCH / "results" / "latest.json"

HOST = "127.0.0.1"  # the only host this script ever talks to
GUNICORN_WORKERS = 2
WRK_THREADS = 2
WRK_CONNECTIONS = 20
PYTHON_LOAD_THREADS = 8
WARM_UP_REQUESTS = 50
TARGET_RATIO = 0.25

PG_ADMIN_URL = f"postgresql://postgres@{HOST}:5432/test"
PG_SCHEMA = "cpevents_bench"
PG_APP_URL = f"{PG_ADMIN_URL}?options=-csearch_path%3D{PG_SCHEMA}"

START_TIMEOUT = 30  # seconds for a gunicorn server to answer
COMMAND_TIMEOUT = 120  # seconds for `flask db upgrade` or `flask seed-demo`
STOP_TIMEOUT = 10  # seconds for gunicorn to stop after SIGTERM before SIGKILL


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 2.0) -> int:
    """Status code of one GET (the body is read and dropped)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Gunicorn:
    """`gunicorn -w 2 <app>` on a free 127.0.0.1 port, in a process group of its own.

    Use as a context manager: on entry it waits until `ready_path` answers 200; on exit it stops
    the whole process group (master and workers), whatever happened in between.
    """

    def __init__(self, name: str, app: str, env: dict[str, str], log_dir: Path, ready_path: str, pythonpath: Path = ROOT):
        self.name = name
        self.app = app
        self.env = env
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.ready_path = ready_path
        self.pythonpath = pythonpath
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.port = free_port()
        command = [
            sys.executable, "-m", "gunicorn",
            "--workers", str(GUNICORN_WORKERS),
            "--bind", f"{HOST}:{self.port}",
            "--chdir", str(ROOT),
            "--pythonpath", str(self.pythonpath),
            self.app,
        ]  # fmt: skip
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if http_get(self.port, self.ready_path) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ({self.name}) did not answer 200 on {self.ready_path} within {START_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL if it has not gone after STOP_TIMEOUT seconds."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session=True: the master leads its own group
        _signal_group(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _signal_group(pgid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)
        _signal_group(pgid, signal.SIGKILL)  # any worker the master left behind
        self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


# --- cpevents and its databases ---------------------------------------------------------------


def cpevents_env(database_url: str, *, production: bool, secret_key: str = "") -> dict[str, str]:
    env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=database_url)
    if production:
        env.update(CPEVENTS_ENV="production", SECRET_KEY=secret_key, RATELIMIT_ENABLED="false")
        # What production refuses to start without (cpevents/config.py, config_problems): a shared
        # rate-limit store (switched off above, so Redis need not answer), an https address for
        # email links, and no example contacts (empty leaves those lines out).
        env.update(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", BASE_URL="https://bench.example.gov.uk")
        env.update({name: "" for name in ("CHILDRENS_RIGHTS_PHONE", "CHILDRENS_RIGHTS_EMAIL", "CHILDRENS_RIGHTS_URL", "ADVOCACY_PHONE", "ADVOCACY_URL")})
    else:
        env.update(CPEVENTS_ENV="development")  # seed-demo refuses to run in production
    return env


def prepare_database(database_url: str) -> None:
    """`flask db upgrade` then `flask seed-demo` on an empty database."""
    env = cpevents_env(database_url, production=False)
    for args in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        if done.returncode != 0:
            raise RuntimeError(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def postgres_unavailable_reason() -> str | None:
    """None when PostgreSQL answers on 127.0.0.1:5432, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def reset_postgres_schema(*, create: bool) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")


def random_secret_key(length: int = 64) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


# --- load -------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    requests_per_s: float
    p99_ms: float
    non_2xx_3xx: int  # responses with a status of 400 or more
    socket_errors: int  # connect, read, write errors and timeouts


def wrk_load(port: int, path: str, duration: int) -> Load:
    command = [
        shutil.which("wrk"), f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration}s",
        "--timeout", "5s", "--latency", f"http://{HOST}:{port}{path}",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=True).stdout
    return parse_wrk(out)


WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(out: str) -> Load:
    def find(pattern: str) -> re.Match | None:
        return re.search(pattern, out, re.MULTILINE)

    rps = find(r"^Requests/sec:\s+([\d.]+)")
    p99 = find(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$")
    total = find(r"^\s*(\d+) requests in ")
    if not (rps and p99 and total):
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    errors = find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    non_2xx = find(r"Non-2xx or 3xx responses: (\d+)")
    return Load(
        requests=int(total.group(1)),
        requests_per_s=float(rps.group(1)),
        p99_ms=float(p99.group(1)) * WRK_UNITS_MS[p99.group(2)],
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def python_load(port: int, path: str, duration: int) -> Load:
    """Threads sending GETs back to back over keep-alive connections (reconnecting when the server
    closes one) until the time is up."""
    deadline = time.monotonic() + duration
    latencies: list[float] = []
    counts = {"non_2xx_3xx": 0, "socket_errors": 0}
    lock = threading.Lock()

    def worker() -> None:
        mine: list[float] = []
        bad = errors = 0
        conn = None
        while time.monotonic() < deadline:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = None
                time.sleep(0.01)
                continue
            mine.append(time.perf_counter() - started)
            if response.status >= 400:
                bad += 1
            if response.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            counts["non_2xx_3xx"] += bad
            counts["socket_errors"] += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(PYTHON_LOAD_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 10)
    elapsed = time.monotonic() - started
    with lock:
        done = sorted(latencies)
        p99 = done[min(len(done) - 1, int(len(done) * 0.99))] * 1000 if done else float("nan")
        return Load(len(done), len(done) / elapsed, p99, counts["non_2xx_3xx"], counts["socket_errors"])


def measure(server: Gunicorn, path: str, duration: int, load_with) -> Load:
    """Check the page answers 200, warm both workers up, then load it for `duration` seconds."""
    status = http_get(server.port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} on {server.name} answered {status}, not 200:\n{server.log_tail()}")
    for _ in range(WARM_UP_REQUESTS):
        http_get(server.port, path)
    return load_with(server.port, path, duration)


# --- report -----------------------------------------------------------------------------------


def print_table(rows: list[dict]) -> None:
    headers = ["target", "database", "requests/s", "p99 latency ms", "ratio to bare app"]
    cells = [
        [r["target"], r["database"], f"{r['requests_per_s']:.0f}", f"{r['p99_ms']:.1f}", f"{r['ratio_to_bare']:.2f}"]
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    right = {2, 3, 4}  # numbers line up on the right

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))


def sign_in_verdicts(rows: list[dict], databases: list[str], skipped: dict[str, str]) -> dict[str, dict]:
    verdicts = {}
    for database in databases:
        row = next((r for r in rows if r["path"] == "/sign-in" and r["database"] == database), None)
        if row is None:
            verdicts[database] = {"measured": False, "reason": skipped.get(database, "not measured")}
        else:
            verdicts[database] = {"measured": True, "ratio": round(row["ratio_to_bare"], 3), "met": row["ratio_to_bare"] >= TARGET_RATIO}
    return verdicts


def verdict_line(database: str, verdict: dict) -> str:
    if not verdict["measured"]:
        return f"Sign-in page on {database}: not measured ({verdict['reason']})."
    outcome = "target met" if verdict["met"] else "target NOT met"
    return (
        f"Sign-in page on {database}: {verdict['ratio']:.0%} of the bare app's requests/s; "
        f"{outcome} (target: {TARGET_RATIO:.0%} or more)."
    )


# --- main -------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement (default 10, at most 300)")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto", help="load generator (default: wrk when installed)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 300:
        parser.error("--duration must be between 1 and 300 seconds")
    if args.load == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed")
    return args


def main() -> int:
    args = parse_args()
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    load_with = wrk_load if use_wrk else python_load
    generator = (
        f"wrk --latency, {WRK_THREADS} threads, {WRK_CONNECTIONS} connections"
        if use_wrk
        else f"Python (http.client), {PYTHON_LOAD_THREADS} threads with a keep-alive connection each"
    )
    secret_key = random_secret_key()
    rows: list[dict] = []
    skipped: dict[str, str] = {}
    databases = ["SQLite", "PostgreSQL"]

    print(f"Load: {generator}; {args.duration} s per measurement, from this machine to {HOST}.")
    print(f"Servers: gunicorn -w {GUNICORN_WORKERS} (sync workers), one at a time; cpevents with CPEVENTS_ENV=production.")
    print("Rate limiting is DISABLED for cpevents (RATELIMIT_ENABLED=false) so the load is not turned away.")
    print()

    def record(target: str, database: str, path: str, load: Load) -> None:
        bare_rps = rows[0]["requests_per_s"] if rows else load.requests_per_s
        rows.append({"target": target, "database": database, "path": path, **asdict(load), "ratio_to_bare": round(load.requests_per_s / bare_rps, 4)})
        print(f"  {target} ({database}): {load.requests_per_s:.0f} requests/s, p99 {load.p99_ms:.1f} ms", flush=True)

    with tempfile.TemporaryDirectory(prefix="cpevents-bench-") as tmp:
        tmp_dir = Path(tmp)

        print("Bare Flask app ...", flush=True)
        with Gunicorn("hello", "hello_app:app", dict(os.environ), tmp_dir, "/", pythonpath=BENCH) as hello:
            record("bare Flask app /", "-", "/", measure(hello, "/", args.duration, load_with))

        def bench_cpevents(database: str, database_url: str) -> None:
            print(f"cpevents on {database} ...", flush=True)
            prepare_database(database_url)
            env = cpevents_env(database_url, production=True, secret_key=secret_key)
            with Gunicorn(f"cpevents-{database.lower()}", "wsgi:app", env, tmp_dir, "/healthz") as app:
                for path in ("/healthz", "/sign-in"):
                    record(f"cpevents {path}", database, path, measure(app, path, args.duration, load_with))

        bench_cpevents("SQLite", f"sqlite:///{tmp_dir / 'bench.sqlite3'}")

        reason = postgres_unavailable_reason()
        if reason:
            skipped["PostgreSQL"] = f"PostgreSQL not reachable on {HOST}:5432: {reason}"
            print(f"PostgreSQL: skipped ({skipped['PostgreSQL']}).", flush=True)
        else:
            reset_postgres_schema(create=True)
            try:
                bench_cpevents("PostgreSQL", PG_APP_URL)
            finally:
                reset_postgres_schema(create=False)

    verdicts = sign_in_verdicts(rows, databases, skipped)
    print()
    print_table(rows)
    print()
    for row in rows:
        if row["non_2xx_3xx"] or row["socket_errors"]:
            print(
                f"Warning: {row['target']} ({row['database']}) had {row['non_2xx_3xx']} error responses "
                f"and {row['socket_errors']} socket errors out of {row['requests']} requests."
            )
    for database in databases:
        print(verdict_line(database, verdicts[database]))

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": args.duration,
        "load_generator": generator,
        "server": f"gunicorn -w {GUNICORN_WORKERS} (sync workers) on {HOST}, cpevents with CPEVENTS_ENV=production",
        "rate_limiting": "disabled (RATELIMIT_ENABLED=false)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": rows,
        "sign_in_target_ratio": TARGET_RATIO,
        "sign_in_verdicts": verdicts,
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten to {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    # A SIGTERM runs the `finally` clauses too, so no gunicorn is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
