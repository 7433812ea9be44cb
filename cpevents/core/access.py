"""Access rules. Every view declares one; tests/core/test_access_rules.py walks the URL map
and fails for a route without one.

- @public: anyone, signed in or not (sign-in page, health check, accessibility statement).
- @signed_in: any signed-in, active account.
- @roles_required(Role.X, ...): signed in, holding at least one of the roles, and an approved
  account, else 403. A self-registered account waits for an organiser's approval (or a trusted
  email domain); only the routes marked `pending_ok=True` (writing and sending one's own
  nominations, the nominator's home page) let a pending account in.
- @approved: any signed-in, active and approved account (the champions directory).
- @token_link: reached through a personal link that carries its own secret (rate limited).
- @pending_sign_in: only during sign-in, after the password and before the second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

ACCESS_ATTR = "access_rule"


def _mark(view: Callable, rule: str) -> Callable:
    setattr(view, ACCESS_ATTR, rule)
    return view


def public(view: Callable) -> Callable:
    return _mark(view, "public")


def token_link(view: Callable) -> Callable:
    return _mark(view, "token")


def pending_sign_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("pending_user_id"):
            return redirect(url_for("accounts.sign_in"))
        return view(*args, **kwargs)

    return _mark(wrapper, "pending-sign-in")


def _to_sign_in():
    return redirect(url_for("accounts.sign_in", next=request.full_path if request.method == "GET" else None))


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _to_sign_in()
        return view(*args, **kwargs)

    return _mark(wrapper, "signed-in")


def _waiting_for_approval():
    return render_template("errors/pending.html"), 403


def approved(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _to_sign_in()
        if not current_user.is_approved:
            return _waiting_for_approval()
        return view(*args, **kwargs)

    return _mark(wrapper, "approved")


def roles_required(*roles, pending_ok: bool = False) -> Callable:
    if not roles:
        raise ValueError("roles_required needs at least one role")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _to_sign_in()
            if not current_user.has_any_role(*roles):
                abort(403)
            if not pending_ok and not current_user.is_approved:
                return _waiting_for_approval()
            return view(*args, **kwargs)

        return _mark(wrapper, "roles:" + ",".join(sorted(r.value for r in roles)))

    return decorator


def require(condition: bool, status: int = 403) -> None:
    """Use in views for rules about one object: require(nomination.can_edit(current_user))."""
    if not condition:
        abort(status)


def load_or_404(model, **by):
    from cpevents.extensions import db

    obj = db.session.execute(db.select(model).filter_by(**by)).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
