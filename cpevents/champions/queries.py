"""Read-side queries for champions' pages. Counts are grouped in SQL."""

from __future__ import annotations

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import selectinload

from cpevents.champions.models import (
    Champion,
    ChampionPledge,
    ChampionService,
    ChampionStatus,
    PledgeAction,
    PledgeKind,
)
from cpevents.core.time import utcnow
from cpevents.extensions import db


def active_services() -> list[ChampionService]:
    return list(db.session.execute(select(ChampionService).where(ChampionService.active.is_(True)).order_by(func.lower(ChampionService.name))).scalars().all())


def all_services() -> list[ChampionService]:
    return list(db.session.execute(select(ChampionService).order_by(ChampionService.active.desc(), func.lower(ChampionService.name))).scalars().all())


def _current():
    return and_(Champion.status == ChampionStatus.APPROVED, Champion.expires_at > utcnow())


def applications(status: ChampionStatus, limit: int = 200) -> list[Champion]:
    return list(
        db.session.execute(
            select(Champion)
            .options(selectinload(Champion.service), selectinload(Champion.pledges))
            .where(Champion.status == status)
            .order_by(Champion.submitted_at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def count_waiting() -> int:
    return db.session.execute(select(func.count()).select_from(Champion).where(Champion.status == ChampionStatus.PENDING)).scalar_one()


def directory(service_public_id: str = "") -> Select:
    """Current champions, by service, for signed-in staff: name, job title, service, pledges."""
    stmt = (
        select(Champion)
        .join(ChampionService)
        .options(selectinload(Champion.pledges), selectinload(Champion.service))
        .where(_current())
        .order_by(func.lower(ChampionService.name), func.lower(Champion.name))
    )
    if service_public_id:
        stmt = stmt.where(ChampionService.public_id == service_public_id)
    return stmt.order_by(Champion.id)  # a tie-breaker, so pages never repeat or skip a champion


def champions_by_service() -> list[tuple[ChampionService, int]]:
    """Every active service with its number of current champions (0 included)."""
    counts = (
        select(Champion.service_id, func.count(Champion.id).label("n")).where(_current()).group_by(Champion.service_id).subquery()
    )
    rows = db.session.execute(
        select(ChampionService, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.service_id == ChampionService.id)
        .where(ChampionService.active.is_(True))
        .order_by(func.lower(ChampionService.name))
    ).all()
    return [(service, n) for service, n in rows]


def pledges_made_and_kept(start=None, end=None) -> list[tuple[PledgeKind, int, int]]:
    """For current champions: per kind of pledge, how many made it and how many recorded doing it
    (in the period, when one is given)."""
    action_filter = [PledgeAction.pledge_id == ChampionPledge.id]
    if start is not None:
        action_filter += [PledgeAction.done_on >= start, PledgeAction.done_on <= end]
    kept = select(PledgeAction.id).where(*action_filter).exists()
    rows = db.session.execute(
        select(ChampionPledge.kind, func.count(ChampionPledge.id), func.count(ChampionPledge.id).filter(kept))
        .join(Champion)
        .where(_current())
        .group_by(ChampionPledge.kind)
    ).all()
    found = {kind: (made, done) for kind, made, done in rows}
    return [(kind, *found.get(kind, (0, 0))) for kind in PledgeKind]


def own_pledges(champion: Champion) -> list[ChampionPledge]:
    return list(
        db.session.execute(
            select(ChampionPledge).options(selectinload(ChampionPledge.actions)).where(ChampionPledge.champion_id == champion.id).order_by(ChampionPledge.id)
        )
        .scalars()
        .all()
    )
