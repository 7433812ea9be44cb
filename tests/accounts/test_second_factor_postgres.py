"""One authenticator code, or one recovery code, signs in once, even when four browsers send it at
the same moment (someone watching over a shoulder races the owner). A conditional UPDATE does it,
not luck: every post starts together behind a barrier.

PostgreSQL only (SQLite lets one writer in at a time anyway). It runs on its own app and its own
schema, `cpevents_sign_in_race`, so it never touches the schema other tests use.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cpevents.extensions import db
from tests.factories import PASSWORD, csrf_from, next_code, post_form
from tests.races import postgres_only, run_together
from tests.races import race_app as own_app

SCHEMA = "cpevents_sign_in_race"
BROWSERS = 4

pytestmark = postgres_only("concurrent sign-ins")


@pytest.fixture
def race_app(smtp_sink):
    with own_app(SCHEMA, smtp_sink, pool_size=BROWSERS + 2, max_overflow=4) as app:
        yield app


def _organiser(app) -> int:
    from cpevents.core.enums import Role
    from tests.factories import make_user

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
    def post(page, wait):
        browser, token = page
        wait()
        response = browser.post(path, data={"csrf_token": token, "code": code})
        return response.status_code, response.headers.get("Location", "")

    return run_together(post, pages, timeout=120)


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
