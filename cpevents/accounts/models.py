"""Accounts: people who sign in, their roles, their sessions and their one-time links."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.checks import known
from cpevents.core.enums import SECOND_FACTOR_REQUIRED, Role, enum_column
from cpevents.core.models import PublicId, Timestamped, UTCDateTime
from cpevents.extensions import Model, db


class User(PublicId, Timestamped, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    job_title: Mapped[str] = mapped_column(String(160), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    wants_champion: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column()
    locked_notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the mail server refused this address; cleared when the address changes or an organiser retries.
    email_undeliverable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Vetting: a self-registered account is pending until an organiser approves it, or its
    # confirmed email address is on a domain an organiser trusts. Invited accounts are approved
    # by the organiser who invited them. Pending accounts see nothing about any young person.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_via_domain: Mapped[str] = mapped_column(String(253), default="")

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    # --- Flask-Login -------------------------------------------------------------------
    # The session cookie holds a server-side session id (see UserSession), not the user id.
    if TYPE_CHECKING:
        current_session_id: str | None = None
    else:
        current_session_id = None  # set per request; not a column

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.current_session_id

    # --- roles --------------------------------------------------------------------------
    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles: set[Role]) -> None:
        for row in list(self.role_rows):
            if row.role not in roles:
                self.role_rows.remove(row)
        for role in sorted(roles - self.roles, key=lambda r: r.value):
            self.role_rows.append(UserRole(role=role))

    @property
    def sorted_roles(self) -> list[Role]:
        return [r for r in Role if r in self.roles]

    @property
    def second_factor_required(self) -> bool:
        return bool(self.roles & SECOND_FACTOR_REQUIRED)

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower() if "@" in self.email else ""

    @property
    def status_label(self) -> str:
        if not self.is_active:
            return "Deactivated"
        if self.password_hash is None:
            return "Invited"
        if not self.is_verified:
            return "Email not confirmed"
        if not self.is_approved:
            return "Waiting for approval"
        return "Active"

    # --- permission questions, asked the same way by views and templates ------------------
    def can_manage_people(self) -> bool:
        return self.is_active and self.has_role(Role.ORGANISER)

    def __repr__(self) -> str:  # no personal data in logs or tracebacks
        return f"<User {self.id}>"


class ApprovedDomain(PublicId, Model):
    """An email domain an organiser trusts (the council's own, partner agencies'): a new account
    whose confirmed address is on it is approved without waiting for an organiser."""

    __tablename__ = "approved_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    description: Mapped[str] = mapped_column(String(120), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    added_by = relationship("User")


class UserRole(Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", name="uq_user_roles_user_id_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(Model):
    """A signed-in session, held on the server so that signing out really ends it,
    deactivation ends all of a person's sessions at once, and idle sessions expire."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    SET_PASSWORD = "set_password"  # noqa: S105 - a token purpose, not a password; invitations and the first organiser
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a token purpose, not a password


class AccountToken(Model):
    """A single-use link sent by email. Only the SHA-256 of the token is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SecretKind(enum.StrEnum):
    AUTHENTICATOR_SETUP = "authenticator_setup"  # the key shown as a QR code, until a code proves it
    RECOVERY_CODES = "recovery_codes"  # new recovery codes, until the page shows them once


class PendingSecret(Model):
    """A secret one browser needs on its next page, kept here rather than in the session cookie:
    the cookie is signed, not encrypted, so anyone who copies it (or looks in the browser) can
    read what is in it. The cookie carries a random handle; only its SHA-256 is kept, with the
    account it belongs to. A row is deleted once used, and rows older than PENDING_SECRET_LIFETIME
    whenever another is made."""

    __tablename__ = "pending_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SecretKind] = mapped_column(enum_column(SecretKind, "secret_kind"))
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FailedSignIn(Model):
    """One row per failed attempt on a known account (password or second factor)."""

    __tablename__ = "failed_sign_ins"
    __table_args__ = (Index("ix_failed_sign_ins_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


def user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def existing_user(email: str) -> User:
    """The account with this email, which is known to exist (demo data seeded a moment before)."""
    return known(user_by_email(email), f"the account {email} was made before")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


__all__ = [
    "AccountToken",
    "ApprovedDomain",
    "FailedSignIn",
    "PendingSecret",
    "RecoveryCode",
    "SecretKind",
    "TokenPurpose",
    "User",
    "UserRole",
    "UserSession",
    "normalise_email",
    "user_by_email",
]
