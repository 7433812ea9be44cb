"""The form page most views repeat, once (CONVENTIONS.md, "A view reads top to bottom").

    GET                      -> the page with the form
    POST, form not valid     -> the page again with the form's errors, status 400
    POST, valid              -> on_valid() calls one service and says where to go next (Done);
                                then one commit, the flash, and the redirect
    POST, the service refuses (an exception listed in `fails`)
                             -> its message on the form field `error_field`, the page again, 400

A view keeps its decorators (access rules), loads and checks what it needs, builds the form and
passes it here with its template, its context and a small `on_valid` function. Views whose steps
differ (a rollback, a response other than a redirect, several forms on one page) keep their own
code rather than bend this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from cpevents.extensions import db


@dataclass(frozen=True)
class Done:
    """What a valid form led to: the address to go to, and what to tell the person (flashed after
    the commit; nothing when `message` is empty)."""

    to: str
    message: str = ""
    category: str = "success"


def form_page(
    form: FlaskForm,
    template: str,
    on_valid: Callable[[], Done],
    *,
    fails: tuple[type[Exception], ...] = (),
    error_field: str = "",
    **context: Any,
) -> ResponseReturnValue:
    """Show `form` on `template` (with `context`), or act on it when it is posted and valid."""
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                done = on_valid()
            except fails as error:
                getattr(form, error_field).errors.append(str(error))
            else:
                db.session.commit()
                if done.message:
                    flash(done.message, done.category)
                return redirect(done.to)
        return render_template(template, form=form, **context), 400
    return render_template(template, form=form, **context)
