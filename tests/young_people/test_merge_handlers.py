"""Merging two young people's records leaves nothing behind: every foreign key that points at
young_people has a handler that moves it (or says why it stays), connected by create_app."""

from __future__ import annotations

from cpevents.extensions import db
from cpevents.young_people.models import YoungPerson
from cpevents.young_people.services import MERGE_HANDLERS, young_person_merged


def _columns_pointing_at_young_people() -> list[str]:
    table = YoungPerson.__table__.name
    return sorted(
        f"{t.name}.{fk.parent.name}" for t in db.metadata.sorted_tables for fk in t.foreign_keys if fk.column.table.name == table
    )


def test_every_foreign_key_to_young_people_has_a_merge_handler(app):
    columns = _columns_pointing_at_young_people()
    assert "nominations.young_person_id" in columns  # the listing itself works
    missing = [c for c in columns if c not in MERGE_HANDLERS]
    assert not missing, f"no merge handler for {', '.join(missing)}: connect one with young_people.services.connect_merge()"


def test_handlers_are_connected_by_create_app_not_by_imports(app):
    """The receivers named in MERGE_HANDLERS are connected to the signal (cpevents/wiring.py)."""
    connected = {f"{r.__module__}.{r.__qualname__}" for r in young_person_merged.receivers.values()}
    named = {who for who in MERGE_HANDLERS.values() if not who.startswith(("merge_young_people", "stays"))}
    assert named and named <= connected


def test_no_handler_for_a_column_that_is_gone(app):
    columns = set(_columns_pointing_at_young_people())
    assert set(MERGE_HANDLERS) <= columns
