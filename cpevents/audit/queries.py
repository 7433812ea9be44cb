from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.audit.models import AuditEntry
from cpevents.extensions import db


def trail_for(young_person_ids: list[int], limit: int = 500) -> list[AuditEntry]:
    """Newest first, with who did it loaded in the same query."""
    return list(
        db.session.execute(
            select(AuditEntry)
            .options(joinedload(AuditEntry.actor))
            .where(AuditEntry.young_person_id.in_(young_person_ids))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
