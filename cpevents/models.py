"""Imports every domain's models, so Alembic and create_all() see the whole schema."""

from cpevents.accounts.models import AccountToken, FailedSignIn, RecoveryCode, User, UserRole, UserSession  # noqa: F401
