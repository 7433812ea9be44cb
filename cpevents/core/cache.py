"""Rendered parts of busy pages, kept until the data behind them changes.

A *data version* is a row in `data_versions` holding a random token. Any flush that touches a
model registered with `watch(name, Model, ...)` (or a bulk UPDATE/DELETE on one) gives that row a
new random token just before the transaction commits, in the same transaction. A page part cached
under (name, token, ...) is therefore never served after the data changed, in any worker: the
next request reads the new token and misses. The token is random rather than a counter so that a
rolled-back change can never bring back an old number with different data behind it.

The cache itself is per process (each worker keeps its own small LRU); only the token is shared,
through the database.
"""

from __future__ import annotations

import secrets
from itertools import chain
from threading import Lock

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from cpevents.extensions import Model, db

_WATCHED: dict[type, set[str]] = {}
_BUMP = "cpevents.data_versions"


class DataVersion(Model):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def watch(name: str, *models: type) -> None:
    """Changes to these models change the data version `name`."""
    for model in models:
        _WATCHED.setdefault(model, set()).add(name)


def current_version(name: str) -> str | None:
    return db.session.execute(select(DataVersion.token).where(DataVersion.name == name)).scalar_one_or_none()


def _note(session: Session, names) -> None:
    session.info.setdefault(_BUMP, set()).update(names)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    names = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        names |= _WATCHED.get(type(obj), set())
    if names:
        _note(session, names)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state):
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        names = _WATCHED.get(state.bind_mapper.class_)
        if names:
            _note(state.session, names)


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    if session.new or session.dirty or session.deleted:
        session.flush()
    # Not cleared on rollback: a spare new token costs one cache miss; a lost one would be wrong.
    names = session.info.pop(_BUMP, None)
    for name in sorted(names or ()):
        token = secrets.token_hex(16)
        if session.execute(update(DataVersion).where(DataVersion.name == name).values(token=token)).rowcount == 0:
            session.execute(insert(DataVersion).values(name=name, token=token))


class PartCache:
    """A small per-process LRU of rendered page parts, keyed by a data version and the request."""

    def __init__(self, size: int = 256) -> None:
        self._items: LRUCache = LRUCache(maxsize=size)
        self._lock = Lock()

    def get(self, key):
        if not current_app.config.get("PAGE_CACHE", True):
            return None
        with self._lock:
            return self._items.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def bump_all(session: Session) -> None:
    """Give every watched data version a new token at commit (erasure: no cached page part may
    still show the person, whichever data it was rendered from)."""
    names = set().union(*_WATCHED.values()) if _WATCHED else set()
    if names:
        _note(session, names)
