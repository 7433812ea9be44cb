"""Headers, cookies, CSRF, redirects, error pages and rate limits."""

import logging

import pytest

from cpevents import create_app
from cpevents.config import ProductionConfig, TestConfig
from cpevents.core.access import public
from cpevents.core.enums import Role
from cpevents.core.security import safe_next
from tests.factories import PASSWORD, csrf_from, make_user, post_form, sign_in


def test_security_headers_on_every_page(client):
    for path in ["/", "/sign-in", "/healthz", "/no-such-page"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "camera" in response.headers["Permissions-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers  # only in production


def test_pages_have_no_inline_script(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "<script>" not in html and "<script nonce" not in html
    assert "onclick=" not in html


def test_production_cookies_and_hsts(database_url):
    from tests.core.test_config import GOOD

    app = create_app(ProductionConfig, {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    if cookie:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_secret(database_url):
    """Every other refusal is in tests/core/test_config.py."""
    from tests.core.test_config import GOOD

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig, {**GOOD, "SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": database_url})


def test_session_cookie_is_httponly_and_lax(client):
    client.get("/sign-in")
    cookie = client.get_cookie("cpevents_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400
    assert "The form timed out" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/people", "/people"),
        ("/home?x=1", "/home?x=1"),
        ("//evil.example", None),
        ("https://evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("evil.example", None),
        ("", None),
        ("/\x0a/evil", None),
    ],
)
def test_next_never_leads_off_site(target, expected):
    assert safe_next(target) == expected


def test_sign_in_ignores_off_site_next(client):
    user = make_user(Role.NOMINATOR)
    page = client.get("/sign-in?next=//evil.example/x")
    response = client.post("/sign-in", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/home"


def test_sign_in_follows_on_site_next(client):
    user = make_user(Role.ORGANISER, totp=True)
    response = client.get("/people")
    assert response.status_code == 302
    client.get(response.headers["Location"])
    response = sign_in(client, user)
    assert response.headers["Location"].startswith("/people")


def test_error_pages_are_plain_english(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_unexpected_error_shows_plain_page_without_traceback(database_url, caplog):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False, "TESTING": False})

    @public
    def boom():
        raise RuntimeError("secret detail about a young person")

    app.add_url_rule("/boom", "boom", boom)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "secret detail" not in body


def test_sign_in_is_rate_limited(client):
    """Per address (30 a minute) here; per account in tests/accounts/test_rate_limits.py."""
    page = client.get("/sign-in")
    token = csrf_from(page.get_data(as_text=True))
    statuses = [
        client.post("/sign-in", data={"csrf_token": token, "email": f"nobody{i}@example.org", "password": "wrong password 123"}).status_code
        for i in range(31)
    ]
    assert 429 in statuses
    last = client.post("/sign-in", data={"csrf_token": token, "email": "x@example.org", "password": "y"})
    assert last.status_code == 429 and "Too many tries" in last.get_data(as_text=True)


def test_token_links_are_rate_limited(client):
    statuses = [client.get(f"/reset-password/not-a-token-{i}").status_code for i in range(25)]
    assert statuses[0] == 404 and 429 in statuses


def test_failed_sign_in_does_not_log_the_email_address(client, caplog):
    with caplog.at_level(logging.DEBUG):
        post_form(client, "/sign-in", {"email": "private.person@example.org", "password": "wrong password 123"})
    assert "private.person" not in caplog.text
