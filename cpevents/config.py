"""Configuration, read from environment variables only.

Every variable is listed in the README. Nothing secret has a production default. CPEVENTS_ENV
must be set (`development`, `test` or `production`): without it the app refuses to start rather
than quietly running the development settings. `check_config` runs on the finished `app.config`
inside `create_app`, whatever config object or overrides were passed, and refuses production
without a real SECRET_KEY, a DATABASE_URL, Redis for rate limits, an https BASE_URL and the
council's own Children's Rights and advocacy contacts (issue 15).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Templates, static files and migrations live inside the package, so an installed wheel carries
# them and finds them where this file is, wherever it was installed.
PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def _instance() -> Path:
    """Where the app keeps its local files (the development SQLite database). CPEVENTS_INSTANCE_PATH
    when set; in a checkout `instance/` beside pyproject.toml, as before; when installed from the
    wheel, `instance/` in the working directory (never inside site-packages)."""
    configured = os.environ.get("CPEVENTS_INSTANCE_PATH", "").strip()
    if configured:
        return Path(configured).resolve()
    if (ROOT / "pyproject.toml").is_file():
        return ROOT / "instance"
    return Path.cwd() / "instance"


INSTANCE = _instance()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# What runs when nothing is set: fine on a developer's machine, refused in production.
DEV_SECRET_KEYS = ("dev-only-not-secret", "test-secret-key")
DEV_DATABASE_URI = f"sqlite:///{INSTANCE / 'cpevents.sqlite3'}"
# Issue 14's "Need someone on your side?" contacts ship as EXAMPLES that reach no one.
EXAMPLE_CONTACTS = {
    "CHILDRENS_RIGHTS_PHONE": "0808 157 0192",
    "CHILDRENS_RIGHTS_EMAIL": "childrens.rights@example.org",
    "CHILDRENS_RIGHTS_URL": "https://www.example.org/childrens-rights",
    "ADVOCACY_PHONE": "0808 157 0193",
    "ADVOCACY_URL": "https://www.example.org/advocacy",
}
ENVIRONMENTS = ("development", "test", "production")
# Argon2id's cost for new password hashes: argon2-cffi 25's defaults (RFC 9106's low-memory profile,
# about 190 ms a hash). Production refuses anything cheaper; the tests use the cheapest there is.
PASSWORD_HASH_MINIMUM = {"PASSWORD_HASH_TIME_COST": 3, "PASSWORD_HASH_MEMORY_COST": 65536, "PASSWORD_HASH_PARALLELISM": 4}


class ConfigError(RuntimeError):
    """The configuration cannot run: the message is one line saying what to set."""


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return DEV_DATABASE_URI
    # Hosting platforms often hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # Seals personal links in queued email (cpevents/mail/personal_links.py). Optional: without it
    # a key is derived from SECRET_KEY. Several, comma-separated, to change it (the first seals).
    OUTBOX_KEY = os.environ.get("OUTBOX_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # No pool_pre_ping: a pooled connection is pinged only after DATABASE_PING_AFTER_IDLE seconds
    # unused (cpevents/core/pool.py; the ping on every request was one round trip in five).
    # pool_recycle replaces a connection older than 30 minutes, without a round trip.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800}
    DATABASE_PING_AFTER_IDLE = float(os.environ.get("DATABASE_PING_AFTER_IDLE", "10"))
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Celebrating our young people")
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "County Council children's services")
    # Certificates (achievements, and a nominee's PROUD Awards certificate): the council's logo (a PNG,
    # JPEG or SVG file; empty: the emblem that ships with the app, cpevents/core/images) and whose
    # signature goes on its line (empty: "For <COUNCIL_NAME>").
    CERTIFICATE_LOGO = os.environ.get("CERTIFICATE_LOGO", "")
    CERTIFICATE_SIGNATORY = os.environ.get("CERTIFICATE_SIGNATORY", "")
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "participation@example.org")
    # Where a young person asks for a copy, a change or a deletion (empty: SUPPORT_EMAIL).
    PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
    PRIVACY_CONTACT_PHONE = os.environ.get("PRIVACY_CONTACT_PHONE", "")
    # Text messages through GOV.UK Notify (issue 17, cpevents/mail/texts.py). Without an API key
    # nothing is texted and no page offers texts. One Notify template serves every text: its
    # content is ((body)), the words written here. NOTIFY_BASE_URL: empty for Notify itself.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
    NOTIFY_TEMPLATE_TEXT = os.environ.get("NOTIFY_TEMPLATE_TEXT", "")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "")

    # Sessions: 30 minutes idle, then signed out (checked on the server too).
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    SESSION_COOKIE_NAME = "cpevents_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    SESSION_PROTECTION = None  # we track sessions on the server instead (accounts.sessions)

    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_SSL_STRICT = True

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "1025"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Celebrating our young people <no-reply@example.org>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in is limited per client address (high enough for an office behind one shared address)
    # and per account (the email typed), so guessing one person's password is slow from anywhere.
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "30 per minute;300 per hour")
    RATELIMIT_SIGN_IN_ACCOUNT = os.environ.get("RATELIMIT_SIGN_IN_ACCOUNT", "10 per minute;60 per hour")
    RATELIMIT_FORMS = os.environ.get("RATELIMIT_FORMS", "5 per minute;30 per hour")
    RATELIMIT_TOKEN_LINKS = os.environ.get("RATELIMIT_TOKEN_LINKS", "20 per minute;100 per hour")
    # Public registration, counted in the view so the form comes back filled in with a message: per
    # event and email address (each try can email the address's owner), and a generous limit per
    # client address (a whole office may register from one address).
    RATELIMIT_REGISTER_EMAIL = os.environ.get("RATELIMIT_REGISTER_EMAIL", "5 per hour;10 per day")
    RATELIMIT_REGISTER_ADDRESS = os.environ.get("RATELIMIT_REGISTER_ADDRESS", "30 per minute;300 per hour")

    # Account rules
    LOCKOUT_ATTEMPTS = 6
    LOCKOUT_WINDOW = timedelta(minutes=15)
    RESET_TOKEN_LIFETIME = timedelta(minutes=60)
    VERIFY_TOKEN_LIFETIME = timedelta(hours=48)
    INVITE_TOKEN_LIFETIME = timedelta(days=7)
    # Argon2id costs (cpevents/accounts/passwords.py): iterations, memory in KiB, lanes.
    PASSWORD_HASH_TIME_COST = PASSWORD_HASH_MINIMUM["PASSWORD_HASH_TIME_COST"]
    PASSWORD_HASH_MEMORY_COST = PASSWORD_HASH_MINIMUM["PASSWORD_HASH_MEMORY_COST"]
    PASSWORD_HASH_PARALLELISM = PASSWORD_HASH_MINIMUM["PASSWORD_HASH_PARALLELISM"]

    HSTS = False
    TRUST_PROXY_HOPS = int(os.environ.get("TRUST_PROXY_HOPS", "0"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # `text` (one readable line) or `json` (one JSON object a line, with the request id); empty:
    # json in production, text otherwise (decided in create_app, after the overrides).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower()
    # Busy pages keep rendered parts until their data changes (cpevents/core/cache.py).
    PAGE_CACHE = _bool("PAGE_CACHE", True)
    # bench/pages_bench.py only: each response carries the number of SQL statements it ran in an
    # X-SQL-Statements header (cpevents/core/sqlcount.py). Off unless set by name, in every environment.
    SQL_COUNT_HEADER = _bool("SQL_COUNT_HEADER", False)
    # The largest request body accepted, in bytes (1 MB): the longest form, a panel's 10,000
    # characters, is at most 120 KB sent. Anything bigger gets a 413 page before it is read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH  # Werkzeug's own 500 KB form limit, made the same one

    # --- Retention (issue 14, part F): how long personal data is kept, read by the schedule in
    # cpevents/privacy/retention.py and by `flask privacy purge`. Days, except the age in years.
    RETENTION_INVITATION_DETAILS_DAYS = int(os.environ.get("RETENTION_INVITATION_DETAILS_DAYS", "92"))
    RETENTION_REGISTRATIONS_DAYS = int(os.environ.get("RETENTION_REGISTRATIONS_DAYS", "183"))
    RETENTION_NOMINATION_TEXT_DAYS = int(os.environ.get("RETENTION_NOMINATION_TEXT_DAYS", "730"))
    RETENTION_ACHIEVEMENTS_UNTIL_AGE = int(os.environ.get("RETENTION_ACHIEVEMENTS_UNTIL_AGE", "26"))
    RETENTION_DEACTIVATED_ACCOUNTS_DAYS = int(os.environ.get("RETENTION_DEACTIVATED_ACCOUNTS_DAYS", "730"))
    RETENTION_OUTBOX_BODIES_DAYS = int(os.environ.get("RETENTION_OUTBOX_BODIES_DAYS", "90"))
    RETENTION_CHAMPION_APPLICATIONS_DAYS = int(os.environ.get("RETENTION_CHAMPION_APPLICATIONS_DAYS", "365"))
    # --- end of retention

    # --- Issue 14, part I: the young people's privacy notice and "Need someone on your side?" ---
    # Who a young person can turn to, shown on every page they reach by personal link. The
    # defaults are EXAMPLES that reach no one (example.org addresses; phone numbers from Ofcom's
    # range kept for drama, 0808 157 0xxx): set the council's own before go-live.
    CHILDRENS_RIGHTS_NAME = os.environ.get("CHILDRENS_RIGHTS_NAME", "Children's Rights Service")
    CHILDRENS_RIGHTS_PHONE = os.environ.get("CHILDRENS_RIGHTS_PHONE", EXAMPLE_CONTACTS["CHILDRENS_RIGHTS_PHONE"])
    CHILDRENS_RIGHTS_EMAIL = os.environ.get("CHILDRENS_RIGHTS_EMAIL", EXAMPLE_CONTACTS["CHILDRENS_RIGHTS_EMAIL"])
    CHILDRENS_RIGHTS_URL = os.environ.get("CHILDRENS_RIGHTS_URL", EXAMPLE_CONTACTS["CHILDRENS_RIGHTS_URL"])
    ADVOCACY_NAME = os.environ.get("ADVOCACY_NAME", "Independent advocacy service")
    ADVOCACY_PHONE = os.environ.get("ADVOCACY_PHONE", EXAMPLE_CONTACTS["ADVOCACY_PHONE"])
    ADVOCACY_URL = os.environ.get("ADVOCACY_URL", EXAMPLE_CONTACTS["ADVOCACY_URL"])
    # --- end of issue 14, part I ---

    # `flask jobs run-due` (cpevents/jobs.py) runs each daily job once a day after this time.
    JOBS_DAILY_AT = os.environ.get("JOBS_DAILY_AT", "02:00 Europe/London")


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - the test configuration only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URI", "sqlite://")
    SERVER_NAME = None
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = int(os.environ.get("TEST_MAIL_PORT", "0") or 0)
    MAIL_SUPPRESS_SEND = False  # tests read real SMTP from a local sink
    RATELIMIT_STORAGE_URI = "memory://"
    NOTIFY_API_KEY = ""  # tests that text turn it on, pointed at tests/mail/notify_server.py
    NOTIFY_TEMPLATE_TEXT = ""
    NOTIFY_BASE_URL = ""
    # The cheapest argon2id there is (under 1 ms a hash instead of about 190): tests make
    # thousands of accounts. Refused in production.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 8
    PASSWORD_HASH_PARALLELISM = 1


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-cpevents_session"
    HSTS = True


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}

NO_ENV = (
    "CPEVENTS_ENV is not set: set CPEVENTS_ENV=development to run on your own machine (make run does), "
    "or CPEVENTS_ENV=production with the settings in the README's Configuration section"
)


def config_from_env() -> type[Config]:
    """The config class CPEVENTS_ENV names. Unset is refused: running the development settings
    (a public secret key, no Secure cookie, demo data allowed) must be asked for."""
    name = os.environ.get("CPEVENTS_ENV", "").strip().lower()
    if not name:
        raise ConfigError(NO_ENV)
    if name not in CONFIGS:
        raise ConfigError(f"CPEVENTS_ENV must be one of {', '.join(ENVIRONMENTS)}; got {name!r}")
    return CONFIGS[name]


def environment(config: Mapping[str, Any]) -> str:
    """The environment the app runs in. Production when either the config or CPEVENTS_ENV says
    so: a config object passed by hand cannot make a production server skip its checks."""
    named = str(config.get("ENV_NAME") or "").strip().lower()
    if os.environ.get("CPEVENTS_ENV", "").strip().lower() == "production" or named == "production":
        return "production"
    return named


DEMO_ENVIRONMENTS = ("development", "test")


def demo_allowed(config: Mapping[str, Any]) -> bool:
    """Demo data and demo sign-in codes (public passwords and second-factor secrets) exist only
    in development and test: never in production, nor in an environment nobody named."""
    return environment(config) in DEMO_ENVIRONMENTS


def config_problems(config: Mapping[str, Any]) -> list[str]:
    """What stops this configuration from running, each a short sentence (empty: it can run)."""
    env = environment(config)
    if env not in ENVIRONMENTS:
        return [f"ENV_NAME must be one of {', '.join(ENVIRONMENTS)}; got {env!r}"]
    problems = []
    if str(config.get("LOG_FORMAT") or "text") not in ("text", "json"):
        problems.append(f"LOG_FORMAT must be text or json; got {config.get('LOG_FORMAT')!r}")
    problems += _notify_problems(config)
    if env != "production":
        return problems
    secret = str(config.get("SECRET_KEY") or "")
    if not secret:
        problems.append("SECRET_KEY is not set (32 or more random characters)")
    elif secret in DEV_SECRET_KEYS:
        problems.append("SECRET_KEY is the public development value: set your own (32 or more random characters)")
    elif len(secret) < 32:
        problems.append("SECRET_KEY must be at least 32 characters in production")
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not database or database == DEV_DATABASE_URI or database in ("sqlite://", "sqlite:///:memory:"):
        problems.append("DATABASE_URL is not set (for example postgresql://user:password@host:5432/cpevents)")
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "").strip()
    if not urlsplit(storage).scheme.startswith("redis"):
        problems.append(
            "RATELIMIT_STORAGE_URI must be a shared store in production, Redis (redis://host:6379/0): "
            "with memory:// each worker keeps its own counts, so every rate limit is multiplied by the number of workers"
        )
    base_url = str(config.get("BASE_URL") or "")
    if urlsplit(base_url).scheme != "https" or not urlsplit(base_url).netloc:
        problems.append(f"BASE_URL must be the service's public https:// address (links in emails use it); got {base_url!r}")
    examples = [name for name in EXAMPLE_CONTACTS if _is_example(str(config.get(name) or ""), EXAMPLE_CONTACTS[name])]
    if examples:
        problems.append(
            f"{', '.join(examples)} still hold the examples that reach no one: set the council's own "
            "(or an empty value to leave that line out)"
        )
    cheap = [name for name, least in PASSWORD_HASH_MINIMUM.items() if int(config.get(name) or 0) < least]
    if cheap:
        problems.append(
            f"{', '.join(cheap)} below argon2's defaults: production hashes passwords at "
            + ", ".join(f"{name}={least}" for name, least in PASSWORD_HASH_MINIMUM.items())
            + " or more (the test settings are far cheaper)"
        )
    if not config.get("SESSION_COOKIE_SECURE") or not config.get("HSTS"):
        problems.append("production needs SESSION_COOKIE_SECURE and HSTS on (use ProductionConfig)")
    return problems


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _notify_problems(config: Mapping[str, Any]) -> list[str]:
    """Texts (issue 17) are off without NOTIFY_API_KEY; with it, both settings must be usable."""
    key = str(config.get("NOTIFY_API_KEY") or "").strip()
    if not key:
        return []
    problems = []
    if not re.fullmatch(rf".+-{_UUID}-{_UUID}", key):
        problems.append("NOTIFY_API_KEY does not look like a GOV.UK Notify API key (its name, then the service id and the secret)")
    if not re.fullmatch(_UUID, str(config.get("NOTIFY_TEMPLATE_TEXT") or "").strip()):
        problems.append("NOTIFY_TEMPLATE_TEXT must be the id of a Notify text message template whose content is ((body))")
    return problems


def _is_example(value: str, example: str) -> bool:
    """The shipped example, or anything on example.org or Ofcom's drama numbers (0808 157 0xxx)."""
    value = value.strip()
    if not value:
        return False  # empty hides the line: a choice, not a mistake
    digits = "".join(c for c in value if c.isdigit())
    return value == example or "example.org" in value.lower() or digits.startswith("08081570")


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse a configuration that cannot run, with every reason on one line."""
    problems = config_problems(config)
    if problems:
        env = environment(config)
        raise ConfigError(f"cpevents will not start in {env}: " + "; ".join(problems))
