"""What the fixtures in tests/conftest.py stand on, and what tests that build their own app or
database use directly: database URLs (SQLite, or a schema of its own on PostgreSQL), a free port,
the SMTP sink email is delivered to and one run of the outbox worker. Import from here, never
from conftest."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

# --- database ----------------------------------------------------------------------------------


def postgres_url(schema: str) -> str | None:
    """DATABASE_URL pointed at its own schema, which is emptied first; None when not on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    schema += os.environ.get("PYTEST_XDIST_WORKER", "")  # pytest -n: each worker its own schema
    # Several checkouts testing on one server at once (worktrees): give each its own suffix.
    schema += os.environ.get("CPEVENTS_TEST_SCHEMA_SUFFIX", "")
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def sqlite_url(name: str) -> str:
    path = os.path.join(tempfile.mkdtemp(prefix="cpevents-"), name)
    return f"sqlite:///{path}"


# --- email -------------------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        # Functions that run the outbox worker once for an app under test (see the app fixture).
        self.drains: list = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"  # lets tests see an undeliverable address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["subject"]), "message": message})
        return "250 OK"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list[dict]:
        with self._lock:
            return [m for m in self.messages if address in m["to"]]

    def deliver(self) -> None:
        """Run the outbox worker once, as `flask outbox work --once` would."""
        for drain in self.drains:
            drain()

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.deliver()
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} email(s) to {address}, got {len(self.to(address))}")

    @staticmethod
    def text(item: dict) -> str:
        return item["message"].get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(item: dict) -> str:
        return item["message"].get_body(preferencelist=("html",)).get_content()

    def link(self, item: dict) -> str:
        """The path of the first link to this service in the plain-text part."""
        match = re.search(r"https?://\S+", self.text(item))
        assert match, "no link in email"
        return urlsplit(match.group(0)).path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_outbox(app):
    from cpevents.mail.services import work_once

    with app.app_context():
        return work_once()
