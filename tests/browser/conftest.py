"""Browser tests: a second copy of the app served over HTTP, driven by headless Chromium.

- `live_server` (session): the app on its own database (schema cpevents_browser on PostgreSQL
  when DATABASE_URL is set, else a fresh SQLite file), built by the migrations and loaded with
  the demo accounts, served by werkzeug in a daemon thread. Email goes to the shared smtp_sink.
- Nothing is rolled back between browser tests (they are marked no_db_isolation), so every
  test makes the accounts it changes, with unique email addresses, and never depends on order.
- `visitor` / `new_visitor`: one Playwright browser context each. A Visitor runs axe
  (WCAG 2.0/2.1/2.2 A and AA) and takes a full-page screenshot on every page it lands on,
  and the test fails at teardown if a page was reached without that check.
- Chromium comes from Debian (/usr/bin/chromium, installed by `make test`); no browser is
  ever downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from cpevents import create_app
from cpevents.config import TestConfig
from tests.browser.axe import AXE_TAGS
from tests.support import free_port, postgres_url, sqlite_url

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SHOTS = Path("/tmp/cpevents-shots")
TIMEOUT_MS = 10_000


# --- markers -------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.no_db_isolation)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


# --- the live app ------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: object
    accounts: list[dict]
    server: object = field(repr=False, default=None)

    def account(self, role: str) -> dict:
        """The demo account with this role (the adult judge, not the young judge)."""
        for account in self.accounts:
            if role in account["roles"] and not account.get("young_judge"):
                return account
        raise LookupError(role)

    def make_account(self, *roles: str, name: str = "Sam Example", password: str = "pebble harbour lantern", totp: bool = False,
                     approved: bool = True) -> dict:
        """A new, verified, active (and, unless asked otherwise, approved) account in the live app's
        database, with a unique email address."""
        from cpevents.accounts.models import User
        from cpevents.accounts.passwords import hash_password
        from cpevents.core.enums import Role
        from cpevents.core.time import utcnow
        from cpevents.extensions import db

        email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:10]}@example.org"
        secret = pyotp.random_base32() if totp else None
        with self.app.app_context():
            user = User(
                email=email,
                name=name,
                organisation="Children's social care",
                job_title="Social worker",
                password_hash=hash_password(password),
                email_verified_at=utcnow(),
                approved_at=utcnow() if approved else None,
            )
            user.set_roles({Role(r) for r in roles or ("nominator",)})
            if secret:
                user.totp_secret = secret
                user.totp_enabled_at = utcnow()
            db.session.add(user)
            db.session.commit()
            db.session.remove()
        return {"email": email, "name": name, "password": password, "roles": list(roles), "totp_secret": secret}

    def totp_code(self, email: str, secret: str) -> str:
        """A code the app will accept now: the app refuses a 30-second step it has already seen for
        this account (replay protection) but accepts one step of clock drift, so use the current
        step if it is unused, else the next one, else wait for a new step."""
        from cpevents.accounts.models import user_by_email
        from cpevents.core.time import utcnow
        from cpevents.extensions import db

        totp = pyotp.TOTP(secret)
        while True:
            with self.app.app_context():
                last = user_by_email(email).totp_last_step
                db.session.remove()
            now = utcnow()
            step = totp.timecode(now)
            for offset in (0, 1):
                if last is None or step + offset > last:
                    return totp.at(now, offset)
            # Both steps used: this account signed in twice already in these 30 seconds. Give the
            # test an account of its own (second_factor_account) rather than wait here.
            warnings.warn(f"waiting for a new 30-second step to sign {email} in again: give the test its own account",
                          stacklevel=2)
            time.sleep(30 - now.timestamp() % 30 + 0.5)


@pytest.fixture(scope="session")
def live_server(smtp_sink):
    from flask_migrate import upgrade

    from cpevents.demo import seed_demo
    from cpevents.extensions import db

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database = postgres_url("cpevents_browser") or sqlite_url("browser.sqlite3")
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database, "MAIL_PORT": smtp_sink.port, "BASE_URL": url})
    with app.app_context():
        upgrade()
        data = seed_demo()
        db.session.commit()
        db.session.remove()

    # Email goes through the outbox: waiting for a message runs this app's worker once.
    from tests.support import run_outbox

    smtp_sink.drains.append(lambda: run_outbox(app))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="cpevents-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, app=app, accounts=data["accounts"], server=server)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def second_factor_account(live_server):
    """Make an account with a second factor of its own (a fresh authenticator secret):
    `second_factor_account("organiser", name="Olivia Organiser")`. The app accepts each
    30-second code step once per account, so tests that shared the demo organiser or board
    member had to wait for the next step; an account per test never waits."""

    def make(role: str = "organiser", name: str = "Sam Example", **fields) -> dict:
        return live_server.make_account(role, name=name, totp=True, **fields)

    return make


@pytest.fixture(autouse=True)
def _fresh_limits_and_mailbox(live_server, smtp_sink):
    from cpevents.extensions import limiter

    limiter.reset()
    smtp_sink.clear()
    yield


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing. The browser tests use Debian's Chromium and never download one: "
            "run `make test` (it installs chromium), or `make browser` then run pytest again.",
            pytrace=False,
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture(scope="session")
def _shots_dir():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit] or "page"


class Visitor:
    """One person in one browser context. Every way of moving to another page goes through
    here, and every page landed on is screenshotted and checked with axe before the test
    reads it."""

    def __init__(self, page: Page, base_url: str, axe: Axe, shots: Path, label: str):
        self.page = page
        self.base_url = base_url
        self._axe = axe
        self._shots = shots
        self._label = label
        self._step = 0
        self.pages_checked: list[str] = []

    # navigation ------------------------------------------------------------------------------

    def visit(self, path: str):
        """Type an address into the browser. Returns the response (for its status)."""
        self._require_checked()
        response = self.page.goto(self.base_url + path)
        self._landed()
        return response

    def click(self, target):
        """Click something that takes you to another page (a link, or a button that submits a form)."""
        self._require_checked()
        with self.page.expect_navigation():
            target.click()
        self._landed()

    def follow(self, link_text: str):
        self.click(self.page.get_by_role("link", name=link_text, exact=True))

    def press(self, button_text: str):
        self.click(self.page.get_by_role("button", name=button_text, exact=True))

    # reading and filling -------------------------------------------------------------------------

    def field(self, label: str):
        return self.page.get_by_label(label, exact=True)

    def fill(self, label: str, value: str):
        self.field(label).fill(value)

    def h1(self):
        return self.page.get_by_role("heading", level=1)

    def error_summary(self):
        return self.page.get_by_role("alert").filter(has=self.page.get_by_role("heading", name="There is a problem"))

    def banner(self):
        """The notification banner that follows a successful action (GOV.UK notification banner)."""
        return self.page.locator(".govuk-notification-banner")

    def service_navigation(self):
        return self.page.get_by_role("navigation", name="Menu")

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    # checks on every page -------------------------------------------------------------------------

    def _landed(self):
        self.page.wait_for_load_state("load")
        self._step += 1
        title = self.page.title()
        heading = self.page.locator("h1").first.text_content(timeout=2000) if self.page.locator("h1").count() else title
        name = f"{self._label}-{self._step:02d}-{_slug(heading or self.path)}.png"
        self.page.screenshot(path=str(self._shots / name), full_page=True)
        results = self._axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        if results.violations_count > 0:
            pytest.fail(
                f"axe found accessibility problems on {self.path} (“{title}”, screenshot {name}):\n{results.generate_report()}",
                pytrace=False,
            )
        self.page.evaluate("window.__cpeventsAxeChecked = true")
        self.pages_checked.append(self.path)

    def unchecked_page(self) -> str | None:
        """The address of the page now showing, if it was reached without the axe check."""
        if self.page.url in ("", "about:blank"):
            return None
        if self.page.evaluate("window.__cpeventsAxeChecked === true"):
            return None
        return self.path

    def _require_checked(self):
        unchecked = self.unchecked_page()
        if unchecked:
            pytest.fail(f"{unchecked} was reached without going through the Visitor, so axe did not check it", pytrace=False)


@pytest.fixture
def new_visitor(request, chromium, live_server, axe, _shots_dir):
    """Make a Visitor in a new browser context (a separate person, with their own cookies)."""
    contexts, visitors = [], []
    test_name = _slug(request.node.name, 50)

    def make(who: str = "") -> Visitor:
        context = chromium.new_context(viewport={"width": 1024, "height": 768})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        label = test_name + (f"-{_slug(who, 20)}" if who else "")
        visitor = Visitor(context.new_page(), live_server.url, axe, _shots_dir, label)
        visitors.append(visitor)
        return visitor

    yield make
    try:
        if not getattr(request.node, "browser_call_failed", True):
            for visitor in visitors:
                unchecked = visitor.unchecked_page()
                assert unchecked is None, f"{unchecked} was reached without going through the Visitor, so axe did not check it"
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def visitor(new_visitor) -> Visitor:
    return new_visitor()
