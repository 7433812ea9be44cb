"""Password rules (NCSC / NIST style): at least 12 characters, not a common password,
no composition rules. Hashes are argon2id (argon2-cffi's default type)."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
# Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-equal-timing")


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
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
