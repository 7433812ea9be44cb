"""Read-side queries for achievement pages."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from cpevents.achievements.models import Achievement
from cpevents.core.paging import offset_for
from cpevents.extensions import db
from cpevents.young_people.models import YoungPerson, current_link_condition

PAGE_SIZE = 50


def for_young_person(person: YoungPerson) -> list[Achievement]:
    return list(
        db.session.execute(
            select(Achievement)
            .options(selectinload(Achievement.recorded_by))
            .where(Achievement.young_person_id == person.id)
            .order_by(Achievement.achieved_on.desc(), Achievement.id.desc())
        )
        .scalars()
        .all()
    )


def counts_for(people: list[YoungPerson]) -> dict[int, int]:
    if not people:
        return {}
    rows = db.session.execute(
        select(Achievement.young_person_id, func.count()).where(Achievement.young_person_id.in_([p.id for p in people])).group_by(Achievement.young_person_id)
    ).tuples().all()
    return dict(rows)


def celebrated(user, is_organiser: bool, page: int = 1):
    """Recent achievements. Organisers see every one; anyone else only those of the young people
    an organiser has linked them to (current links) and those they recorded themselves. Never a
    service-wide feed: a worker learns nothing about young people who are not theirs."""
    stmt = select(Achievement).join(YoungPerson, YoungPerson.id == Achievement.young_person_id).where(YoungPerson.merged_into_id.is_(None))
    if not is_organiser:
        stmt = stmt.where(or_(current_link_condition(user.id, YoungPerson.id), Achievement.recorded_by_id == user.id))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = (
        db.session.execute(
            stmt.options(selectinload(Achievement.young_person).selectinload(YoungPerson.worker_links), selectinload(Achievement.recorded_by))
            .order_by(Achievement.achieved_on.desc(), Achievement.id.desc())
            .limit(PAGE_SIZE)
            .offset(offset_for(page, total, PAGE_SIZE))
        )
        .scalars()
        .all()
    )
    return rows, total
