"""Read-side queries for the people pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select

from cpevents.accounts.models import User, UserRole
from cpevents.core.enums import Role
from cpevents.core.paging import offset_for
from cpevents.core.time import utcnow
from cpevents.extensions import db

PAGE_SIZE = 50


def search_people(q: str = "", role: str = "", status: str = "", page: int = 1):
    """One page of people, newest first, plus the total. A constant number of queries."""
    stmt = select(User)
    if q:
        like = f"%{q.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), User.email.like(like), func.lower(User.organisation).like(like)))
    if role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(role))))
    if status == "pending":
        stmt = stmt.where(User.approved_at.is_(None), User.deactivated_at.is_(None))
    elif status == "new":
        stmt = stmt.where(User.created_at >= utcnow() - timedelta(days=30))
    elif status == "unconfirmed":
        stmt = stmt.where(User.email_verified_at.is_(None), User.password_hash.is_not(None))
    elif status == "deactivated":
        stmt = stmt.where(User.deactivated_at.is_not(None))
    elif status == "wants_champion":
        stmt = stmt.where(User.wants_champion.is_(True))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(User.created_at.desc(), User.id.desc()).limit(PAGE_SIZE).offset(offset_for(page, total, PAGE_SIZE))).scalars().all()
    return rows, total


def new_registrations(days: int = 30, limit: int = 10):
    since = utcnow() - timedelta(days=days)
    stmt = select(User).where(User.created_at >= since, User.invited_by_id.is_(None)).order_by(User.created_at.desc())
    count = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    return db.session.execute(stmt.limit(limit)).scalars().all(), count


def waiting_for_approval(limit: int = 10):
    """Accounts waiting for an organiser (confirmed addresses first: they can sign in), oldest first."""
    stmt = select(User).where(User.approved_at.is_(None), User.deactivated_at.is_(None))
    count = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(User.email_verified_at.is_(None), User.created_at).limit(limit)).scalars().all()
    return rows, count


def approved_domains():
    from sqlalchemy.orm import joinedload

    from cpevents.accounts.models import ApprovedDomain

    return db.session.execute(select(ApprovedDomain).options(joinedload(ApprovedDomain.added_by)).order_by(ApprovedDomain.domain)).scalars().all()


def count_waiting_for_approval() -> int:
    """Accounts nobody has approved or stopped yet: the organiser's to-do line."""
    return db.session.execute(
        select(func.count()).select_from(User).where(User.approved_at.is_(None), User.deactivated_at.is_(None))
    ).scalar_one()
