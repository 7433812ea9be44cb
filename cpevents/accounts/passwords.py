"""Password rules (NCSC / NIST style): at least 12 characters, not a common password,
no composition rules. Hashes are argon2id (argon2-cffi's default type), at the cost the app's
PASSWORD_HASH_* settings name (cpevents/config.py): argon2-cffi's defaults in production, far
cheaper in tests. A hash carries its own parameters, so any hash verifies whatever the settings;
one made at another cost is made again at sign-in (`needs_rehash`)."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from cpevents.config import Config

MIN_LENGTH = 12
MAX_LENGTH = 256


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> tuple[PasswordHasher, str]:
    """The argon2id hasher for these costs, and a hash it made to compare against when the email
    is unknown (so a wrong email takes as long as a wrong password)."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher, hasher.hash("not-a-real-password-used-for-equal-timing")


def _hasher() -> tuple[PasswordHasher, str]:
    """The running app's settings; outside an app, the production ones (Config's)."""
    config = current_app.config if has_app_context() else vars(Config)
    return _hasher_for(
        int(config["PASSWORD_HASH_TIME_COST"]),
        int(config["PASSWORD_HASH_MEMORY_COST"]),
        int(config["PASSWORD_HASH_PARALLELISM"]),
    )


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str, *, name: str = "", email: str = "") -> str | None:
    """The reason a password is not allowed, in plain words, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    common = common_passwords()
    stripped = re.sub(r"[\d\W_]+$", "", lowered)
    if lowered in common or (stripped and stripped in common) or len(set(lowered)) <= 2:
        return "That password is too common. Try 3 random words together, like ‘apple window river’"
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        return "Your password must not contain your name or email address"
    return None


def hash_password(password: str) -> str:
    hasher, _ = _hasher()
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made at other costs than the settings name (it is made again at
    sign-in). Production refuses settings below argon2-cffi's defaults, so there it only ever
    raises the cost."""
    hasher, _ = _hasher()
    return hasher.check_needs_rehash(password_hash)
