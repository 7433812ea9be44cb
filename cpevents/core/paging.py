"""Paged lists: which page was asked for, how many there are, and links to the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select

from cpevents.core.checks import known
from cpevents.extensions import db

# No list has anywhere near this many pages; a bigger number is read as this one (and then as
# the last page), so no arithmetic on it can overflow a database's integers.
MOST_PAGES = 1_000_000


def requested_page() -> int:
    """The ?page= asked for: anything that is not a whole number of 1 or more is page 1."""
    raw = request.args.get("page", "1").strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    if len(raw) > len(str(MOST_PAGES)):
        return MOST_PAGES
    return min(max(1, int(raw)), MOST_PAGES)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    """The page to show: a page past the end is the last page, anything below 1 the first."""
    return min(max(1, page), page_count(total, size))


def offset_for(page: int, total: int, size: int) -> int:
    """Rows to skip for `page` of `total` rows (a page past the end shows the last page)."""
    return (clamp_page(page, total, size) - 1) * size


def page_url(number: int) -> str:
    """The current page's address with the same filters, for page `number`."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    return url_for(known(request.endpoint, "a page is being served"), **(request.view_args or {}), **args, page=number)


@dataclass
class Paged:
    """One page of a list: its rows, which page it is, how many pages and rows there are."""

    rows: list
    page: int
    pages: int
    total: int


def paged(statement: Select, size: int) -> Paged:
    """The ?page= asked for of `statement` (already ordered, with its loader options), `size` rows
    a page: two queries, a count and the page, however many rows there are. A page past the end
    is the last page."""
    page = requested_page()
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(statement.offset(offset_for(page, total, size)).limit(size)).unique().scalars().all()
    return Paged(list(rows), clamp_page(page, total, size), page_count(total, size), total)
