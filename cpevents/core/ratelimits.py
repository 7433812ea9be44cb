"""Limits counted inside a view, for a public form where the bare "too many tries" page would lose
what someone typed. The view asks `hit(...)` and, when a limit is reached, shows the same form again,
filled in, with a message beside the field saying when to try again.

They use the same store as Flask-Limiter's decorators (memory in tests, Redis in production), so
they hold across processes just as those do, and `limiter.reset()` clears them too.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import current_app
from limits import parse_many

from cpevents.core.time import london
from cpevents.extensions import limiter


def hit(limits: str, *keys: str) -> datetime | None:
    """Count one try for `keys` against each of `limits` ("5 per hour;10 per day"). None while
    within them; otherwise the time (UTC) at which a new try will be counted again."""
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not limiter.enabled:
        return None
    strategy = limiter.limiter
    resets = []
    for item in parse_many(limits):
        if not strategy.hit(item, "in-view", *keys):
            reset, _ = strategy.get_window_stats(item, "in-view", *keys)
            resets.append(reset)
    return datetime.fromtimestamp(math.ceil(max(resets) / 60) * 60, UTC) if resets else None


def try_again_at(when: datetime) -> str:
    """"4:35pm", or "4:35pm on 3 December" when it is not today (UK time)."""
    same_day = london(when, "%Y-%m-%d") == london(datetime.now(UTC), "%Y-%m-%d")
    return london(when, "%-I:%M%p") if same_day else london(when, "%-I:%M%p on %-d %B")


# The limits the views' decorators share (`@limiter.limit(ratelimits.form_limit)`), read when a
# request comes in so that tests and deployments can change them in the config.


def form_limit() -> str:
    """For a public form that sends an email or creates something (registering, applying)."""
    return str(current_app.config["RATELIMIT_FORMS"])


def token_limit() -> str:
    """For a page opened from a personal link (its token is guessed at most this often)."""
    return str(current_app.config["RATELIMIT_TOKEN_LINKS"])
