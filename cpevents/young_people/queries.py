"""Read-side queries for young people's pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from cpevents.core.paging import offset_for
from cpevents.extensions import db
from cpevents.young_people.models import (
    CareStatus,
    WorkerRelationship,
    YoungPerson,
    YoungPersonWorker,
    _current_link,
    current_young_person_ids,
)

PAGE_SIZE = 50


def search_young_people(q: str = "", care_status: str = "", flag: str = "", page: int = 1):
    """Organisers only. Merged records are hidden (they live on inside the kept record)."""
    stmt = select(YoungPerson).where(YoungPerson.merged_into_id.is_(None))
    if q:
        like = f"%{q.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(
            or_(
                func.lower(YoungPerson.first_name).like(like),
                func.lower(YoungPerson.last_name).like(like),
                func.lower(YoungPerson.preferred_name).like(like),
                func.lower(YoungPerson.district).like(like),
                func.lower(YoungPerson.first_name + " " + YoungPerson.last_name).like(like),
                # the short reference a worker quotes from their list (YoungPerson.reference)
                YoungPerson.public_id.like(q.strip().lower()[:6] + "%") if len(q.strip()) == 6 else false(),
            )
        )
    if care_status:
        stmt = stmt.where(YoungPerson.care_status == CareStatus(care_status))
    if flag == "do_not_publish":
        stmt = stmt.where(YoungPerson.do_not_publish.is_(True))
    elif flag == "contact_restriction":
        stmt = stmt.where(YoungPerson.contact_restriction.is_(True))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = (
        db.session.execute(
            stmt.order_by(func.lower(YoungPerson.last_name), func.lower(YoungPerson.first_name), YoungPerson.id)
            .limit(PAGE_SIZE)
            .offset(offset_for(page, total, PAGE_SIZE))
        )
        .scalars()
        .all()
    )
    return rows, total


def linked_to(user) -> list[YoungPerson]:
    """The young people an organiser has linked this worker to (current links only)."""
    return list(
        db.session.execute(
            select(YoungPerson)
            .where(YoungPerson.id.in_(current_young_person_ids(user.id)), YoungPerson.merged_into_id.is_(None))
            .order_by(func.lower(YoungPerson.first_name), YoungPerson.id)
        )
        .scalars()
        .all()
    )


@dataclass
class LinkedRow:
    person: YoungPerson
    relationship: WorkerRelationship  # what this worker is to them
    linked_at: datetime  # when this worker's link was made or last renewed


def linked_rows(user) -> list[LinkedRow]:
    """The young people linked to this worker, each with this worker's own link (their role and
    since when): what tells two of the same name and age apart without showing anything more of
    the young person. One statement."""
    rows = db.session.execute(
        select(YoungPerson, YoungPersonWorker.relationship_type, func.coalesce(YoungPersonWorker.renewed_at, YoungPersonWorker.linked_at))
        .join(YoungPersonWorker, YoungPersonWorker.young_person_id == YoungPerson.id)
        .where(*_current_link(user.id), YoungPerson.merged_into_id.is_(None))
        .order_by(func.lower(YoungPerson.first_name), YoungPerson.id)
    ).all()
    return [LinkedRow(person, relationship, linked_at) for person, relationship, linked_at in rows]


def with_workers(public_id: str) -> YoungPerson | None:
    return db.session.execute(
        select(YoungPerson)
        .options(selectinload(YoungPerson.worker_links).selectinload(YoungPersonWorker.user))
        .where(YoungPerson.public_id == public_id)
    ).scalar_one_or_none()


def merged_ids(person: YoungPerson) -> list[int]:
    """This record and every record merged into it (for the audit trail)."""
    ids = [person.id]
    frontier = [person.id]
    while frontier:
        found = db.session.execute(select(YoungPerson.id).where(YoungPerson.merged_into_id.in_(frontier))).scalars().all()
        ids.extend(found)
        frontier = list(found)
    return ids
