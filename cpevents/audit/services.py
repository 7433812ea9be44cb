"""Writing the audit trail. Services call record(); views never write entries by hand."""

from __future__ import annotations

from sqlalchemy import insert

from cpevents.audit.models import AuditAction, AuditEntry
from cpevents.extensions import db


def record(actor, action: AuditAction, subject, *, young_person=None, detail: str = "") -> AuditEntry:
    """Append one entry. `subject` is any model with an id (a young person, a nomination, ...)."""
    if subject.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__tablename__,
        subject_id=subject.id,
        young_person_id=getattr(young_person, "id", None),
        detail=detail[:300],
    )
    db.session.add(entry)
    return entry


def record_many(actor, action: AuditAction, subject_type: str, entries: list[tuple[int, int | None, str]]) -> int:
    """Append one entry per (subject id, young person id, detail), in one INSERT: for jobs that
    change thousands of records at a time without loading them (the retention purge). The entries
    are the ones `record` would write, one per record."""
    if not entries:
        return 0
    rows = [
        {"actor_id": getattr(actor, "id", None), "action": action, "subject_type": subject_type, "subject_id": subject_id,
         "young_person_id": young_person_id, "detail": detail[:300]}
        for subject_id, young_person_id, detail in entries
    ]
    db.session.execute(insert(AuditEntry), rows)
    return len(rows)
