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


# --- JSON lines and request ids (issue 15) ---------------------------------------------------------

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

from cpevents.config import ConfigError  # noqa: E402
from cpevents.core.logs import JsonFormatter, RequestIdFilter, valid_request_id  # noqa: E402


def test_a_request_id_from_the_proxy_comes_back_in_the_response(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:2.1_x"})
    assert response.headers["X-Request-ID"] == "lb-7f3a:2.1_x"


@pytest.mark.parametrize("incoming", [None, "", "x" * 65, "has space", "new\nline", "<script>", "-starts-with-a-dash", "café"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {"X-Request-ID": incoming} if incoming is not None and "\n" not in incoming else {}
    if incoming and "\n" in incoming:
        assert valid_request_id(incoming) is None  # a test client cannot send it; the check refuses it
    first = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    second = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert len(first) == 32 and all(c in "0123456789abcdef" for c in first)
    assert first != second and first != incoming


def test_every_response_carries_a_request_id(client):
    for path in ("/", "/sign-in", "/no-such-page", "/i/not-a-token"):
        assert valid_request_id(client.get(path).headers.get("X-Request-ID")), path


def _json_line(record: logging.LogRecord) -> dict:
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.handle(record)
    lines = handler.stream.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_a_json_line_has_time_level_logger_message_and_request_id(app):
    record = logging.LogRecord("cpevents.nominations", logging.WARNING, __file__, 1, "opened %s for %s", (f"/i/{SECRET}", "a reply"), None)
    with app.test_request_context("/", headers={"X-Request-ID": "req-42"}):
        entry = _json_line(record)
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}
    assert entry["level"] == "WARNING" and entry["logger"] == "cpevents.nominations" and entry["request_id"] == "req-42"
    assert entry["message"] == "opened /i/[token] for a reply"
    assert entry["time"].endswith("Z") and entry["time"][:4].isdigit()


def test_a_json_line_outside_a_request_has_no_request_id_and_a_redacted_traceback():
    try:
        raise ValueError(f"could not open /f/{SECRET}?q=Someone")
    except ValueError:
        record = logging.LogRecord("cpevents.mail", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    entry = _json_line(record)
    assert entry["request_id"] is None
    assert "could not open /f/[token]?[query]" in entry["exception"] and SECRET not in json.dumps(entry) and "Someone" not in json.dumps(entry)


def test_log_format_is_json_in_production_and_text_otherwise(database_url):
    from tests.core.test_config import GOOD

    assert create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["LOG_FORMAT"] == "text"
    assert create_app(CONFIGS["production"], {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url}).config["LOG_FORMAT"] == "json"
    assert create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "json"}).config["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT must be text or json; got 'xml'"):
        create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "xml"})


APP_LOGGING_JSON = textwrap.dedent(
    """
    import logging
    from cpevents import create_app
    from cpevents.config import TestConfig
    from cpevents.core.access import public

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "json", "PROPAGATE_EXCEPTIONS": False, "TESTING": False})

    @public
    def noisy():
        logging.getLogger("cpevents.test").warning("looked at /i/%s", "SECRET_TOKEN_1")
        raise RuntimeError("broke on /f/SECRET_TOKEN_2?q=Someone")

    app.add_url_rule("/noisy", "noisy", noisy)
    response = app.test_client().get("/noisy?q=Someone", headers={"X-Request-ID": "trace-123"})
    print(response.status_code, response.headers["X-Request-ID"])
    """
)


def test_the_app_writes_json_lines_with_the_request_id_and_no_secret():
    """A fresh process, as under gunicorn: the app's own handler writes the lines."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", APP_LOGGING_JSON], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["500", "trace-123"], done.stderr
    entries = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]  # every line is JSON
    ours = [e for e in entries if e["request_id"] == "trace-123"]
    assert {e["logger"] for e in ours} >= {"cpevents.test", "cpevents"}
    assert any(e["message"] == "looked at /i/[token]" for e in ours)
    error = next(e for e in ours if e["level"] == "ERROR")
    assert "broke on /f/[token]?[query]" in error["exception"]
    assert "SECRET_TOKEN" not in done.stderr and "Someone" not in done.stderr
