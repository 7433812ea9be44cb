"""The access audit trail: who looked at or changed what, when. Append-only.

Entries hold ids, an action and the names of changed fields, never the personal data itself.
The application has no update or delete path for them: the ORM refuses, and database triggers
(migration 0003) refuse too, whatever connects.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpevents.core.enums import LabelledEnum, enum_column
from cpevents.core.models import UTCDateTime
from cpevents.core.time import utcnow
from cpevents.extensions import Model


class AuditAction(LabelledEnum):
    VIEWED = "viewed", "Looked at the record"
    CREATED = "created", "Created the record"
    UPDATED = "updated", "Changed the record"
    MERGED = "merged", "Merged records"
    WORKER_LINKED = "worker_linked", "Linked a worker"
    WORKER_UNLINKED = "worker_unlinked", "Removed a worker's link"
    PURGED = "purged", "Deleted at the end of its retention period"
    ERASED = "erased", "Erased on request"
    EXPORTED = "exported", "Downloaded everything we hold"


class AuditEntry(Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_young_person_id_at", "young_person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column()
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("young_people.id"))
    detail: Mapped[str] = mapped_column(String(300), default="")

    actor = relationship("User")


class AuditIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEntry, "before_update")
def _no_update(mapper, connection, target):
    raise AuditIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _no_delete(mapper, connection, target):
    raise AuditIsAppendOnly("audit entries cannot be deleted")
