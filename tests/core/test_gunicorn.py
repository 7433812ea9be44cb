"""The app under a real gunicorn started as the README says (`-c deploy/gunicorn.conf.py`): the
access log keeps the shape of each address but no token, door code or query string, and a body
too big gets the 413 page over a real socket (not a reset connection)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import gunicorn
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Xk2SECRETtoken-abc_123"
DOOR_CODE = "0b3c2f5e-1111-4000-8000-00000000beef"
VISITS = {
    f"/i/{TOKEN}": "/i/[token]",
    f"/f/{TOKEN}": "/f/[token]",
    f"/reset-password/{TOKEN}": "/reset-password/[token]",
    f"/set-password/{TOKEN}": "/set-password/[token]",
    f"/verify-email/{TOKEN}": "/verify-email/[token]",
    f"/registrations/cancel/{TOKEN}": "/registrations/cancel/[token]",
    f"/champions/confirm/{TOKEN}": "/champions/confirm/[token]",
    f"/door/{DOOR_CODE}": "/door/[token]",
    "/young-people?q=Someone": "/young-people?[query]",
    f"/sign-in?next=/i/{TOKEN}": "/sign-in?[query]",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {**os.environ, "CPEVENTS_ENV": "development", "DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}", "FLASK_APP": "wsgi.py",
           "RATELIMIT_STORAGE_URI": "memory://", "MAX_CONTENT_LENGTH": str(1024 * 1024)}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    port, access_log, error_log = _free_port(), folder / "access.log", folder / "error.log"
    args = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--access-logfile", str(access_log), "--error-logfile", str(error_log)]
    if gunicorn.version_info >= (25, 1):
        args.append("--no-control-socket")  # several test runs on one machine must not share one
    process = subprocess.Popen([*args, "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"gunicorn did not start: {error_log.read_text() if error_log.exists() else ''}")
            time.sleep(0.2)
        yield {"port": port, "access_log": access_log, "error_log": error_log}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _log_lines(path: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.1)
    raise AssertionError(f"expected {count} access log lines, got {path.read_text() if path.exists() else 'none'}")


def test_the_access_log_has_no_token_door_code_or_query(server):
    before = len(_log_lines(server["access_log"], 1))  # the /healthz polls while starting
    for path in VISITS:
        status, _ = _get(server["port"], path, headers={"Referer": f"http://127.0.0.1/young-people?q=Someone&next=/f/{TOKEN}"})
        assert status < 500, (path, status)
    lines = _log_lines(server["access_log"], before + len(VISITS))[before:]
    written = "\n".join(lines)
    assert TOKEN not in written and DOOR_CODE not in written and "beef" not in written
    assert "Someone" not in written and "q=" not in written and "next=" not in written
    for line, logged in zip(lines, VISITS.values(), strict=True):
        assert f'"GET {logged} HTTP/1.1"' in line, line  # the address keeps its shape
        assert '"http://127.0.0.1/young-people?[query]"' in line  # and so does the Referer


def test_a_5mb_post_gets_the_413_page_over_a_real_socket(server):
    connection = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=60)
    try:
        body = b"email=" + b"a" * (5 * 1024 * 1024)
        connection.request("POST", "/sign-in", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert "What you sent is too big" in page and "1 MB" in page
