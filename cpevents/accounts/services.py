"""Account verbs. They change state, queue email and never commit: the caller owns the transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from cpevents.accounts.models import (
    AccountToken,
    ApprovedDomain,
    FailedSignIn,
    PendingSecret,
    RecoveryCode,
    SecretKind,
    TokenPurpose,
    User,
    UserSession,
    normalise_email,
    user_by_email,
)
from cpevents.accounts.passwords import hash_password, needs_rehash, verify_password
from cpevents.core.enums import Role
from cpevents.core.models import rows_changed
from cpevents.core.time import utcnow
from cpevents.core.tokens import hash_token, new_token
from cpevents.core.urls import absolute_url
from cpevents.extensions import db
from cpevents.mail.models import OutboxMessage
from cpevents.mail.services import queue_email

RECOVERY_CODE_COUNT = 10
TOTP_ISSUER = "cpevents"


class AccountError(Exception):
    """A rule stopped the change; the message is for the person who asked."""


# --- one-time links -------------------------------------------------------------------------


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """A new single-use link for this purpose; earlier unused ones for the same purpose stop working."""
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = new_token()
    db.session.add(
        AccountToken(user_id=user.id, purpose=purpose, token_hash=hash_token(token), created_at=now, expires_at=now + lifetime)
    )
    return token


def find_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The live token row, or None if unknown, used or expired. Does not use it up."""
    row = db.session.execute(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row


def use_token(row: AccountToken) -> None:
    """Mark used with a guarded UPDATE, so two requests racing with one link cannot both win."""
    result = db.session.execute(
        update(AccountToken).where(AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=utcnow())
    )
    if rows_changed(result) != 1:
        raise AccountError("This link has already been used")


def _link(endpoint: str, token: str) -> str:
    return absolute_url(endpoint, token=token)


# --- registration and invitations -----------------------------------------------------------


def register_user(*, name: str, email: str, organisation: str, job_title: str, password: str, wants_champion: bool) -> User | None:
    """Self-registration as a nominator. Returns None (and tells the address's owner) when the
    email is already registered, so the page cannot be used to find out who has an account."""
    email = normalise_email(email)
    existing = user_by_email(email)
    if existing is not None:
        queue_email(
            "accounts/already_registered",
            to=existing.email, user=existing,
            subject="Someone tried to register with your email address",
            name=existing.name,
            sign_in_url=absolute_url("accounts.sign_in"),
            reset_url=absolute_url("accounts.forgot_password"),
        )
        return None
    user = User(
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        job_title=job_title.strip(),
        password_hash=hash_password(password),
        wants_champion=wants_champion,
    )
    user.set_roles({Role.NOMINATOR})
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    token = issue_token(user, TokenPurpose.VERIFY_EMAIL, current_app.config["VERIFY_TOKEN_LIFETIME"])
    queue_email(
        "accounts/verify_email",
        to=user.email, user=user,
        subject="Confirm your email address",
        name=user.name,
        secrets={"link": _link("accounts.verify_email", token)},
        hours=int(current_app.config["VERIFY_TOKEN_LIFETIME"].total_seconds() // 3600),
    )


def verify_email(row: AccountToken) -> User:
    use_token(row)
    user = row.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    approve_by_domain(user)
    return user


def invite_user(*, name: str, email: str, roles: set[Role], by: User | None) -> User:
    email = normalise_email(email)
    if user_by_email(email) is not None:
        raise AccountError("There is already an account with this email address. Find it in the list of people to change its roles.")
    # An organiser's invitation is their decision to trust this person: approved at once.
    user = User(name=name.strip(), email=email, invited_by_id=by.id if by else None, approved_at=utcnow(), approved_by_id=by.id if by else None)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    send_set_password(user, invited_by=by)
    return user


def send_set_password(user: User, invited_by: User | None) -> None:
    lifetime = current_app.config["INVITE_TOKEN_LIFETIME"]
    token = issue_token(user, TokenPurpose.SET_PASSWORD, lifetime)
    queue_email(
        "accounts/invitation",
        to=user.email, user=user,
        subject="You have been invited to an account",
        name=user.name,
        invited_by=invited_by.name if invited_by else None,
        roles=[r.label for r in user.sorted_roles],
        secrets={"link": _link("accounts.set_password", token)},
        days=lifetime.days,
    )


def create_first_organiser(email: str, name: str) -> User:
    existing = user_by_email(email)
    if existing is not None:
        existing.set_roles(existing.roles | {Role.ORGANISER})
        if existing.approved_at is None:
            existing.approved_at = utcnow()
        send_set_password(existing, invited_by=None)
        return existing
    return invite_user(name=name, email=email, roles={Role.ORGANISER}, by=None)


def set_password_from_link(row: AccountToken, password: str) -> User:
    """Invitations and resets both end here: the link proves the email address."""
    use_token(row)
    user = row.user
    user.password_hash = hash_password(password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    clear_failed_sign_ins(user)
    end_all_sessions(user)
    if row.purpose == TokenPurpose.RESET_PASSWORD:
        queue_email("accounts/password_changed", to=user.email, user=user, subject="Your password has been changed", name=user.name)
    return user


def request_password_reset(email: str) -> None:
    """Same answer for every address; only a known, active account gets an email."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    lifetime = current_app.config["RESET_TOKEN_LIFETIME"]
    token = issue_token(user, TokenPurpose.RESET_PASSWORD, lifetime)
    queue_email(
        "accounts/reset_password",
        to=user.email, user=user,
        subject="Reset your password",
        name=user.name,
        secrets={"link": _link("accounts.reset_password", token)},
        minutes=int(lifetime.total_seconds() // 60),
    )


def change_password(user: User, current: str, new: str) -> None:
    """The person is signed in: this session carries on, every other one ends (a session someone
    else opened with the old password is the reason people change it)."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not right")
    user.password_hash = hash_password(new)
    end_other_sessions(user)
    queue_email("accounts/password_changed", to=user.email, user=user, subject="Your password has been changed", name=user.name)


# --- signing in -------------------------------------------------------------------------------


def _recent_failures(user: User) -> int:
    since = utcnow() - current_app.config["LOCKOUT_WINDOW"]
    return db.session.execute(
        select(func.count()).select_from(FailedSignIn).where(FailedSignIn.user_id == user.id, FailedSignIn.at > since)
    ).scalar_one()


def is_locked(user: User) -> bool:
    return _recent_failures(user) >= current_app.config["LOCKOUT_ATTEMPTS"]


def record_failed_sign_in(user: User) -> None:
    db.session.add(FailedSignIn(user_id=user.id, at=utcnow()))
    db.session.flush()
    now = utcnow()
    window = current_app.config["LOCKOUT_WINDOW"]
    if is_locked(user) and (user.locked_notice_sent_at is None or user.locked_notice_sent_at < now - window):
        user.locked_notice_sent_at = now
        queue_email(
            "accounts/locked",
            to=user.email, user=user,
            subject="Someone has tried to sign in to your account",
            name=user.name,
            minutes=int(window.total_seconds() // 60),
            reset_url=absolute_url("accounts.forgot_password"),
        )


def clear_failed_sign_ins(user: User) -> None:
    db.session.execute(delete(FailedSignIn).where(FailedSignIn.user_id == user.id))


def check_password(email: str, password: str) -> User | None:
    """The account if the password is right and the account may sign in; otherwise None.
    Unknown emails cost the same argon2 verification as known ones."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        return None
    if not user.is_active:
        return None
    if is_locked(user):
        return None
    if not ok:
        record_failed_sign_in(user)
        return None
    if user.password_hash is not None and needs_rehash(user.password_hash):  # ok: it is set
        user.password_hash = hash_password(password)
    return user


def start_session(user: User) -> str:
    """A new server-side session; its token goes in the (rotated) cookie."""
    token = new_token()
    now = utcnow()
    db.session.add(UserSession(user_id=user.id, token_hash=hash_token(token), created_at=now, last_seen_at=now))
    user.last_sign_in_at = now
    user.current_session_id = token
    clear_failed_sign_ins(user)
    return token


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(UserSession).where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None)).values(ended_at=utcnow())
        )


def end_all_sessions(user: User) -> None:
    db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None)).values(ended_at=utcnow())
    )


def end_other_sessions(user: User) -> None:
    """End every session of this account except the one making the request (none when the
    person is still signing in, so then every session ends)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if user.current_session_id:
        stmt = stmt.where(UserSession.token_hash != hash_token(user.current_session_id))
    db.session.execute(stmt.values(ended_at=utcnow()))


def load_session_user(token: str) -> User | None:
    """Flask-Login's loader: a live, recently used session of an active account."""
    row = db.session.execute(
        select(UserSession)
        .options(joinedload(UserSession.user).joinedload(User.role_rows))  # one query on every request, not three
        .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
    ).unique().scalar_one_or_none()
    if row is None:
        return None
    now = utcnow()
    if row.last_seen_at < now - current_app.config["PERMANENT_SESSION_LIFETIME"]:
        row.ended_at = now
        db.session.commit()
        return None
    user = row.user
    if not user.is_active:
        return None
    if row.last_seen_at < now - timedelta(seconds=60):
        row.last_seen_at = now
        db.session.commit()
    user.current_session_id = token
    return user


# --- second factor ------------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SERVICE_NAME"])


def _matching_step(secret: str, code: str) -> int | None:
    code = "".join(ch for ch in code if ch in "0123456789")  # not str.isdigit: "¹" is a digit to it
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    step_now = totp.timecode(now)
    for offset in (0, -1, 1):  # allow 30 seconds of clock drift either way
        if secrets.compare_digest(totp.at(now, offset), code):
            return step_now + offset
    return None


def check_totp(user: User, code: str) -> bool:
    """Right code, not used before (a code cannot be replayed within its 30 seconds).

    The step is claimed with one conditional UPDATE, not read then written in Python: when several
    sign-ins send the same code at the same moment, the database lets exactly one UPDATE change
    the row (the others wait for its lock, then find the step already taken)."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def enable_totp(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on when the code proves the app is set up. Returns recovery codes."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    end_other_sessions(user)
    return new_recovery_codes(user)


def disable_totp(user: User) -> None:
    if user.second_factor_required:
        raise AccountError("Your role needs a second factor, so it cannot be turned off")
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(raw)))
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New codes (the old ones stop working) and every other session ends: people make new codes
    when they think the old ones were seen or used by someone else."""
    end_other_sessions(user)
    return new_recovery_codes(user)


def use_recovery_code(user: User, code: str) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return rows_changed(result) == 1


def recovery_codes_left(user: User) -> int:
    return db.session.execute(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


# --- secrets a browser needs on its next page (never in the readable session cookie) ---------------

PENDING_SECRET_LIFETIME = timedelta(minutes=30)


def keep_secret(user: User, kind: SecretKind, value: str) -> str:
    """Keep a secret on the server for this browser; returns the handle for its session cookie.
    Rows older than PENDING_SECRET_LIFETIME (anyone's) go at the same time."""
    now = utcnow()
    db.session.execute(delete(PendingSecret).where(PendingSecret.created_at < now - PENDING_SECRET_LIFETIME))
    handle = new_token()
    db.session.add(PendingSecret(handle_hash=hash_token(handle), user_id=user.id, kind=kind, value=value, created_at=now))
    return handle


def _pending_secret(handle: str | None, user: User, kind: SecretKind) -> PendingSecret | None:
    if not isinstance(handle, str) or not handle or len(handle) > 100:
        return None
    row = db.session.execute(
        select(PendingSecret).where(PendingSecret.handle_hash == hash_token(handle), PendingSecret.user_id == user.id, PendingSecret.kind == kind)
    ).scalar_one_or_none()
    if row is None or row.created_at < utcnow() - PENDING_SECRET_LIFETIME:
        return None
    return row


def read_secret(handle: str | None, user: User, kind: SecretKind) -> str | None:
    row = _pending_secret(handle, user, kind)
    return row.value if row else None


def take_secret(handle: str | None, user: User, kind: SecretKind) -> str | None:
    """Read once: the row is deleted (in the caller's transaction)."""
    row = _pending_secret(handle, user, kind)
    if row is None:
        return None
    db.session.delete(row)
    return row.value


def drop_secret(handle: str | None) -> None:
    if isinstance(handle, str) and handle:
        db.session.execute(delete(PendingSecret).where(PendingSecret.handle_hash == hash_token(handle)))


# --- organisers managing people -------------------------------------------------------------------


def change_roles(user: User, roles: set[Role], *, by: User) -> None:
    if not roles:
        raise AccountError("Choose at least one role")
    if user.id == by.id and Role.ORGANISER not in roles:
        raise AccountError("You cannot remove your own organiser role. Ask another organiser to do it.")
    if not user.is_approved and roles - user.roles:
        raise AccountError("This account is waiting for approval. Approve it before you give it another role.")
    user.set_roles(roles)
    if roles & {Role.CHAMPION}:
        user.wants_champion = False


def deactivate_user(user: User, *, by: User) -> None:
    if user.id == by.id:
        raise AccountError("You cannot deactivate your own account")
    if user.deactivated_at is None:
        user.deactivated_at = utcnow()
        user.deactivated_by_id = by.id
        end_all_sessions(user)


def reactivate_user(user: User, *, by: User) -> None:
    user.deactivated_at = None
    user.deactivated_by_id = None


FORMER_USER_NAME = "Former user"


def anonymise_account(user: User) -> None:
    """Take every personal detail off an account but keep the row, so what it did stays counted.

    Used by the retention purge (accounts deactivated long enough) and by erasure on request.
    Nominations, scores and audit entries keep pointing at the row, which now reads "Former user";
    the account can never sign in again. Idempotent.
    """
    user.name = FORMER_USER_NAME
    user.email = f"former-user-{user.public_id}@invalid"
    user.organisation = ""
    user.job_title = ""
    user.password_hash = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.wants_champion = False
    user.approved_via_domain = ""
    if user.deactivated_at is None:
        user.deactivated_at = utcnow()
    user.set_roles(set())
    end_all_sessions(user)
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(PendingSecret).where(PendingSecret.user_id == user.id))
    db.session.execute(delete(FailedSignIn).where(FailedSignIn.user_id == user.id))


def is_anonymised(user: User) -> bool:
    return user.name == FORMER_USER_NAME and user.email.endswith("@invalid")


# --- vetting: approving accounts and trusted email domains ------------------------------------------


def normalise_domain(domain: str) -> str:
    return (domain or "").strip().lower().lstrip("@").rstrip(".")


def approved_domain(domain: str) -> ApprovedDomain | None:
    return db.session.execute(select(ApprovedDomain).where(ApprovedDomain.domain == normalise_domain(domain))).scalar_one_or_none()


def approve_account(user: User, *, by: User | None, via_domain: str = "") -> bool:
    """Trust a pending account: from now on it can be linked to young people and see what its
    role allows. Records who approved it and when (or the trusted domain). Returns False when
    it was already approved (nothing changes, no email)."""
    if user.approved_at is not None:
        return False
    user.approved_at = utcnow()
    user.approved_by_id = getattr(by, "id", None)
    user.approved_via_domain = via_domain
    queue_email(
        "accounts/approved",
        to=user.email, user=user,
        subject="Your account is ready",
        name=user.name,
        home_url=absolute_url("home.index"),
    )
    return True


def approve_by_domain(user: User) -> bool:
    """A pending account with a confirmed address on a trusted domain is approved."""
    if user.approved_at is not None or user.email_verified_at is None:
        return False
    domain = approved_domain(user.email_domain)
    if domain is None:
        return False
    return approve_account(user, by=None, via_domain=domain.domain)


def add_approved_domain(domain: str, description: str, *, by: User) -> tuple[ApprovedDomain, int]:
    """Trust a domain. Pending accounts already confirmed on it are approved now, recorded as
    approved by the organiser who added it. Returns the domain and how many were approved."""
    name = normalise_domain(domain)
    if approved_domain(name) is not None:
        raise AccountError(f"{name} is already on the list")
    row = ApprovedDomain(domain=name, description=description.strip(), added_by_id=by.id, added_at=utcnow())
    db.session.add(row)
    db.session.flush()
    pending = db.session.execute(
        select(User).where(
            User.approved_at.is_(None), User.email_verified_at.is_not(None), User.deactivated_at.is_(None), User.email.like(f"%@{name}")
        )
    ).scalars().all()
    approved = sum(1 for user in pending if user.email_domain == name and approve_account(user, by=by, via_domain=name))
    return row, approved


def remove_approved_domain(row: ApprovedDomain) -> None:
    """New accounts on the domain wait for an organiser again; accounts already approved stay."""
    db.session.delete(row)


def mark_address_undeliverable(message: OutboxMessage) -> None:
    """Connected to cpevents.mail.signals.address_refused in create_app: the mail server refused
    a message's address for good, so the person's page says their email cannot be delivered
    (only while the account still has that address)."""
    if message.user_id is None:
        return
    user = db.session.get(User, message.user_id)
    if user is not None and user.email == message.to_address:
        user.email_undeliverable_at = utcnow()
