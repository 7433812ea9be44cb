"""Logs (issue 13, item 8): no personal-link token, door code, search or SQL parameter in a log.
The real gunicorn with deploy/gunicorn.conf.py is in tests/core/test_gunicorn.py."""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import text
from werkzeug.routing import PathConverter, UnicodeConverter

from cpevents import create_app
from cpevents.config import CONFIGS, TestConfig
from cpevents.core.logs import RedactFilter, redact_text, redact_url
from cpevents.extensions import db

SECRET = "Zq8SECRETtoken_x-1"


def _secret_rules(app):
    """Rules whose address carries a secret: a <token>, or a door code."""
    return [r for r in app.url_map.iter_rules() if "token" in r.arguments or any(a.endswith("_code") for a in r.arguments)]


def test_every_route_with_a_token_or_a_code_is_redacted(app):
    rules = _secret_rules(app)
    assert {r.rule.split("<", 1)[0] for r in rules} >= {"/i/", "/f/", "/reset-password/", "/set-password/", "/verify-email/", "/registrations/cancel/",
                                                        "/champions/confirm/", "/door/"}
    for rule in rules:
        path = rule.rule.replace("<token>", SECRET).replace("<uuid:door_code>", "0b3c2f5e-1111-4000-8000-00000000abcd")
        logged = redact_url(path + "?next=/home")
        assert SECRET not in logged and "abcd" not in logged and "[token]" in logged and logged.endswith("?[query]"), (rule.rule, logged)


def test_no_other_route_takes_free_text_in_its_address(app):
    # A new route taking a string in its path may carry a secret: add it to cpevents/core/logs.py
    # (TOKEN_PREFIXES) if it does, and to this list if it does not.
    allowed = {("nominations.step", "slug"), ("static", "filename")}
    free = {(r.endpoint, name) for r in app.url_map.iter_rules() for name, conv in r._converters.items()
            if isinstance(conv, (UnicodeConverter, PathConverter)) and name != "token"}
    assert free <= allowed, free - allowed


@pytest.mark.parametrize("url,logged", [
    ("/i/abc", "/i/[token]"),
    ("/%69/abc", "/i/[token]"),
    ("/f/abc/", "/f/[token]/"),
    ("/door/0b3c2f5e-1111-4000-8000-00000000abcd", "/door/[token]"),
    ("/door/events/0b3c2f5e-1111-4000-8000-00000000abcd", "/door/events/0b3c2f5e-1111-4000-8000-00000000abcd"),
    ("/young-people?q=Someone+Surname&page=2", "/young-people?[query]"),
    ("https://celebrate.example.gov.uk/reset-password/abc?x=1", "https://celebrate.example.gov.uk/reset-password/[token]?[query]"),
    ("/static/images/i.png", "/static/images/i.png"),
    ("/i/[token]", "/i/[token]"),
    ("-", "-"),
])
def test_redact_url(url, logged):
    assert redact_url(url) == logged


def test_redact_text_finds_addresses_in_running_text():
    line = '127.0.0.1 "GET /set-password/abc123?x=1 HTTP/1.1" 200 "https://host/young-people?q=Sam" Exception on /verify-email/def456 [GET]. Done? Yes'
    assert redact_text(line) == (
        '127.0.0.1 "GET /set-password/[token]?[query] HTTP/1.1" 200 "https://host/young-people?[query]" '
        "Exception on /verify-email/[token] [GET]. Done? Yes"
    )


def _captured(logger_name: str = "cpevents.test.logs"):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.propagate = False
    return logger, handler, stream


def test_the_log_filter_redacts_messages_and_tracebacks():
    logger, handler, stream = _captured()
    try:
        logger.warning("Exception on %s [%s]", f"/i/{SECRET}", "GET")
        try:
            raise ValueError(f"could not open /f/{SECRET}?q=Someone")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert SECRET not in written and "Someone" not in written
    assert "Exception on /i/[token] [GET]" in written and "could not open /f/[token]?[query]" in written


def test_the_app_redacts_what_reaches_the_root_logger(app):
    from cpevents.core.logs import redact_handlers

    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # its logging set-up runs again
        assert any(isinstance(f, RedactFilter) for f in handler.filters)
        redact_handlers(root)  # once only
        assert sum(isinstance(f, RedactFilter) for f in handler.filters) == 1
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_config_hides_sql_parameters(name, tmp_path):
    from tests.core.test_config import GOOD

    production = {**GOOD, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"} if name == "production" else {}
    app = create_app(CONFIGS[name], {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}, **production})
    with app.app_context():
        assert db.engine.hide_parameters


def test_the_test_app_hides_sql_parameters(app):
    engine = db.engines[None]  # each test runs on one connection (tests/conftest.py)
    assert getattr(engine, "engine", engine).hide_parameters


def test_a_database_error_is_logged_without_its_parameters_or_the_request(caplog):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/broken")
    def broken():
        name = " ".join(["Someone", "Surname"])  # not written whole here: the traceback shows this source
        db.session.execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": name})
        return "never"

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/broken?q=Searched+Name", headers={"Referer": f"http://localhost/i/{SECRET}"})
    assert response.status_code == 500
    records = [r for r in caplog.records if r.exc_info]
    assert records, "the error was not logged"
    formatter = logging.Formatter()
    for record in records:
        logged = formatter.format(record)
        assert "no_such_table" in logged  # the statement is there, to find the bug
        assert "Someone Surname" not in logged and "Searched" not in logged and SECRET not in logged
        assert "SQL parameters hidden" in logged
