"""Bad input (issue 13, item 7a): a body bigger than MAX_CONTENT_LENGTH gets a plain-English 413
page, whatever the address, never a 500 (and never a reset connection: see tests/core/test_gunicorn.py)."""

from __future__ import annotations

import pytest

from cpevents.core.enums import Role
from tests.factories import csrf_from, make_user, sign_in

FIVE_MB = "x" * (5 * 1024 * 1024)


@pytest.mark.parametrize("path", ["/sign-in", "/register", "/forgot-password", "/champions/apply", "/i/not-a-real-token", "/no-such-page"])
def test_a_5mb_post_gets_a_plain_413_page(client, path):
    response = client.post(path, data={"csrf_token": "whatever", "name": FIVE_MB})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "What you sent is too big" in html and "1 MB" in html and "nothing was saved" in html


def test_a_5mb_post_to_a_signed_in_form_gets_the_413_page(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    page = client.get("/events/new")
    response = client.post("/events/new", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "description": FIVE_MB})
    assert response.status_code == 413 and "What you sent is too big" in response.get_data(as_text=True)


def test_a_form_under_the_limit_is_read_as_usual(client):
    # 900 KB: over Werkzeug's own 500 KB form limit, under ours; the sign-in form answers as usual.
    response = client.post("/sign-in", data={"email": "a" * 900_000, "password": "x"})
    assert response.status_code in (200, 400) and "What you sent is too big" not in response.get_data(as_text=True)
