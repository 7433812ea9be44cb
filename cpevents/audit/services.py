"""Writing the audit trail. Services call record(); views never write entries by hand."""

from __future__ import annotations

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
