from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cpevents.extensions import db
from cpevents.nominations.models import Nomination, NominationStatus


def nominations_by(user) -> list[Nomination]:
    """A nominator's own nominations (never anyone else's), newest first, in one query."""
    return (
        db.session.execute(
            select(Nomination)
            .options(joinedload(Nomination.event), joinedload(Nomination.category))
            .where(Nomination.nominator_id == user.id, Nomination.status != NominationStatus.WITHDRAWN)
            .order_by(Nomination.updated_at.desc(), Nomination.id.desc())
        )
        .scalars()
        .all()
    )
