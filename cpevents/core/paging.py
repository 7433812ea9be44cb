"""Paged lists: which page was asked for, how many there are, and links to the others."""

from __future__ import annotations

from flask import request, url_for


def requested_page() -> int:
    """The ?page= asked for; anything that is not a whole number of 1 or more is page 1."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def page_url(number: int) -> str:
    """The current page's address with the same filters, for page `number`."""
    args = {k: v for k, v in request.args.items() if k != "page"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=number)
