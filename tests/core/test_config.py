"""Configuration that cannot silently go wrong (issue 15): the environment must be named, and a
production app refuses to start, with a one-line reason, on settings that would leave it open,
whatever config object or overrides it was built from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpevents import create_app
from cpevents.config import (
    DEV_DATABASE_URI,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestConfig,
)

ROOT = Path(__file__).resolve().parents[2]

GOOD = {
    "SECRET_KEY": "k" * 48,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://celebrate.council.gov.uk",
    "CHILDRENS_RIGHTS_PHONE": "01234 567890",
    "CHILDRENS_RIGHTS_EMAIL": "childrens.rights@council.gov.uk",
    "CHILDRENS_RIGHTS_URL": "https://www.council.gov.uk/childrens-rights",
    "ADVOCACY_PHONE": "01234 567891",
    "ADVOCACY_URL": "https://www.council.gov.uk/advocacy",
}


def _production(database_url, **changes):
    return create_app(ProductionConfig, {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url, **changes})


def test_a_good_production_config_starts(database_url):
    app = _production(database_url)
    assert app.config["ENV_NAME"] == "production" and app.config["LOG_FORMAT"] == "json"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["HSTS"]


def test_no_environment_named_refuses_to_start_saying_what_to_set(monkeypatch):
    monkeypatch.delenv("CPEVENTS_ENV", raising=False)
    with pytest.raises(ConfigError) as error:
        create_app()
    message = str(error.value)
    assert "CPEVENTS_ENV is not set" in message and "CPEVENTS_ENV=development" in message and "\n" not in message


def test_an_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("CPEVENTS_ENV", "staging")
    with pytest.raises(ConfigError, match="CPEVENTS_ENV must be one of development, test, production; got 'staging'"):
        create_app()


@pytest.mark.parametrize("changes,reason", [
    ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY is the public development value"),
    ({"SECRET_KEY": "test-secret-key"}, "SECRET_KEY is the public development value"),
    ({"SECRET_KEY": "short but not empty"}, "SECRET_KEY must be at least 32 characters"),
    ({"SQLALCHEMY_DATABASE_URI": DEV_DATABASE_URI}, "DATABASE_URL is not set"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, "DATABASE_URL is not set"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI must be a shared store in production"),
    ({"RATELIMIT_STORAGE_URI": ""}, "RATELIMIT_STORAGE_URI must be a shared store in production"),
    ({"BASE_URL": "http://celebrate.council.gov.uk"}, "BASE_URL must be the service's public https:// address"),
    ({"BASE_URL": "http://127.0.0.1:5000"}, "BASE_URL must be the service's public https:// address"),
    ({"CHILDRENS_RIGHTS_PHONE": "0808 157 0192"}, "CHILDRENS_RIGHTS_PHONE still hold the examples that reach no one"),
    ({"CHILDRENS_RIGHTS_EMAIL": "childrens.rights@example.org"}, "CHILDRENS_RIGHTS_EMAIL still hold the examples"),
    ({"CHILDRENS_RIGHTS_URL": "https://www.example.org/childrens-rights"}, "CHILDRENS_RIGHTS_URL still hold the examples"),
    ({"ADVOCACY_PHONE": "0808 157 0193"}, "ADVOCACY_PHONE still hold the examples"),
    ({"ADVOCACY_URL": "https://www.example.org/advocacy"}, "ADVOCACY_URL still hold the examples"),
    ({"ADVOCACY_PHONE": "0808-157-0999"}, "ADVOCACY_PHONE still hold the examples"),  # another drama number, written otherwise
    ({"HSTS": False}, "production needs SESSION_COOKIE_SECURE and HSTS on"),
    ({"PASSWORD_HASH_TIME_COST": 1}, "PASSWORD_HASH_TIME_COST below argon2's defaults"),
    ({"PASSWORD_HASH_MEMORY_COST": 8}, "PASSWORD_HASH_MEMORY_COST below argon2's defaults"),
    ({"PASSWORD_HASH_PARALLELISM": 1}, "PASSWORD_HASH_PARALLELISM below argon2's defaults"),
    ({name: getattr(TestConfig, name) for name in ("PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_COST",
                                                   "PASSWORD_HASH_PARALLELISM")},
     "PASSWORD_HASH_TIME_COST, PASSWORD_HASH_MEMORY_COST, PASSWORD_HASH_PARALLELISM below argon2's defaults"),
])
def test_each_bad_production_setting_refuses_with_its_reason(database_url, changes, reason):
    with pytest.raises(ConfigError) as error:
        _production(database_url, **changes)
    message = str(error.value)
    assert message.startswith("cpevents will not start in production: ") and reason in message and "\n" not in message


def test_empty_contacts_are_a_choice_not_an_example(database_url):
    """An empty value leaves that line out of "Need someone on your side?" (issue 14)."""
    _production(database_url, ADVOCACY_PHONE="", ADVOCACY_URL="")


def test_every_problem_is_named_at_once(database_url):
    with pytest.raises(ConfigError) as error:
        create_app(ProductionConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "dev-only-not-secret",
                                      "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": "http://x"})
    message = str(error.value)
    for name in ("SECRET_KEY", "RATELIMIT_STORAGE_URI", "BASE_URL", "CHILDRENS_RIGHTS_PHONE"):
        assert name in message


def test_a_config_object_passed_by_hand_cannot_skip_the_checks_on_a_production_server(database_url, monkeypatch):
    monkeypatch.setenv("CPEVENTS_ENV", "production")
    for config in (TestConfig, DevelopmentConfig):
        with pytest.raises(ConfigError, match="cpevents will not start in production: SECRET_KEY is the public development value"):
            create_app(config, {"SQLALCHEMY_DATABASE_URI": database_url})
    # Good settings but the development class: its cookies and HSTS are off.
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE and HSTS"):
        create_app(DevelopmentConfig, {**GOOD, "SQLALCHEMY_DATABASE_URI": database_url})


def test_overrides_cannot_skip_the_checks(database_url):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _production(database_url, ENV_NAME="test", SECRET_KEY="dev-only-not-secret")  # ENV_NAME overridden: still production


def _flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env={**env, "FLASK_APP": "wsgi.py"},
                          capture_output=True, text=True, timeout=120)


def _env_without_cpevents() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("CPEVENTS_") and k not in GOOD and k != "DATABASE_URL"}


def test_flask_without_an_environment_says_so_in_one_line_without_a_traceback():
    done = _flask(_env_without_cpevents(), "routes")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "CPEVENTS_ENV is not set" in lines[0], done.stderr


def test_flask_in_production_with_the_defaults_gives_its_reasons_in_one_line():
    done = _flask({**_env_without_cpevents(), "CPEVENTS_ENV": "production"}, "routes")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "SECRET_KEY" in lines[0] and "DATABASE_URL" in lines[0]


def test_gunicorn_without_an_environment_stops_with_the_reason(tmp_path):
    """Not a worker restarted for ever: gunicorn's "App failed to load" stops the server."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    import gunicorn

    if gunicorn.version_info >= (25, 1):
        args.append("--no-control-socket")
    done = subprocess.run([*args, "wsgi:app"], cwd=ROOT, env=_env_without_cpevents(), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "CPEVENTS_ENV is not set" in done.stderr and "Traceback" not in done.stderr, done.stderr
