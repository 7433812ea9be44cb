"""What every model shares: a timezone-aware timestamp type, created/updated columns and the public id."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, DateTime, Result, String, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from cpevents.core.time import as_utc, utcnow


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on PostgreSQL and SQLite alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed. Session.execute() is typed as returning a
    Result; for those statements it is a CursorResult, which has the count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count on {type(result).__name__}")
    return result.rowcount


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


def new_public_id() -> str:
    return str(uuid.uuid4())


class PublicId:
    """A random id for links and exports, so no page shows (or lets anyone guess) a row's number."""

    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
