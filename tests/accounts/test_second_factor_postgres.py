"""One authenticator code, or one recovery code, signs in once, even when four browsers send it at
the same moment (someone watching over a shoulder races the owner). A conditional UPDATE does it,
not luck: every post starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_sign_in_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import create_engine, func, select, text

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.extensions import db
from tests.conftest import PASSWORD, csrf_from, next_code, post_form, postgres_url

SCHEMA = "cpevents_sign_in_race"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))
BROWSERS = 4

pytestmark = [
    pytest.mark.no_db_isolation,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sign-ins need PostgreSQL (DATABASE_URL=postgresql://...)"),
]


@pytest.fixture
def race_app(smtp_sink):
    from flask_migrate import upgrade

    url = postgres_url(SCHEMA)  # with the worker's and the checkout's suffixes
    schema = url.rsplit("search_path%3D", 1)[1]
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_sink.port,
                                  "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": BROWSERS + 2, "max_overflow": 4}})
    with app.app_context():
        upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url.split("?")[0], isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _organiser(app) -> int:
    from cpevents.core.enums import Role
    from tests.conftest import make_user

    with app.app_context():
        return make_user(Role.ORGANISER, totp=True).id


def _race(app, user_id: int, path: str, code_for) -> list[tuple[int, str]]:
    """Each browser has passed the password; then all post the same code at once."""
    from cpevents.accounts.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        email = user.email
    pages = []
    for _ in range(BROWSERS):
        browser = app.test_client()
        assert post_form(browser, "/sign-in", {"email": email, "password": PASSWORD}).status_code == 302
        pages.append((browser, csrf_from(browser.get(path).get_data(as_text=True))))
    with app.app_context():
        code = code_for(db.session.get(User, user_id))
    barrier = threading.Barrier(BROWSERS)
    results, errors = [], []

    def post(browser, token):
        try:
            barrier.wait(timeout=60)
            response = browser.post(path, data={"csrf_token": token, "code": code})
            results.append((response.status_code, response.headers.get("Location", "")))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=post, args=page) for page in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    return results


def _sessions(app, user_id: int) -> int:
    from cpevents.accounts.models import UserSession

    with app.app_context():
        return db.session.execute(select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)).scalar_one()


def test_one_authenticator_code_sent_by_four_browsers_at_once_signs_in_once(race_app):
    user_id = _organiser(race_app)
    results = _race(race_app, user_id, "/sign-in/code", next_code)
    assert sorted(status for status, _ in results) == [302, 400, 400, 400], results
    assert [where for status, where in results if status == 302] == ["/home"]
    assert _sessions(race_app, user_id) == 1


def test_one_recovery_code_sent_by_four_browsers_at_once_signs_in_once(race_app):
    from cpevents.accounts import services
    from cpevents.accounts.models import User

    user_id = _organiser(race_app)
    with race_app.app_context():
        codes = services.new_recovery_codes(db.session.get(User, user_id))
        db.session.commit()
    results = _race(race_app, user_id, "/sign-in/recovery-code", lambda user: codes[0])
    assert sorted(status for status, _ in results) == [302, 400, 400, 400], results
    assert _sessions(race_app, user_id) == 1
    with race_app.app_context():
        assert services.recovery_codes_left(db.session.get(User, user_id)) == services.RECOVERY_CODE_COUNT - 1
