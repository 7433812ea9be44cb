"""Opening a personal link (an invitation, a feedback or a nominee link), once for every kind.

The token in the address is looked up by the caller; here the link's id goes into the session under
the page's key and the visitor is sent on to a token-free address. An unknown, revoked or spent
link ends any visit under that key and shows the same "this link does not work" page (404).
"""

from __future__ import annotations

from typing import Any, Protocol

from flask import redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue


class _Link(Protocol):
    id: int


def link_does_not_work(key: str) -> ResponseReturnValue:
    session.pop(key, None)
    return render_template("invitations/rsvp/link_does_not_work.html"), 404


def start_visit(key: str, link: _Link | None, endpoint: str, **extra: Any) -> ResponseReturnValue:
    if link is None:
        return link_does_not_work(key)
    session[key] = {"link": link.id, **extra}
    return redirect(url_for(endpoint))
