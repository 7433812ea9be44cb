"""cpevents/core/ratelimits.py: the shared limits are read from the config at request time."""

from __future__ import annotations

from cpevents.core import ratelimits


def test_shared_limits_come_from_the_config(app, monkeypatch):
    with app.app_context():
        monkeypatch.setitem(app.config, "RATELIMIT_FORMS", "3 per hour")
        monkeypatch.setitem(app.config, "RATELIMIT_TOKEN_LINKS", "7 per minute")
        assert ratelimits.form_limit() == "3 per hour"
        assert ratelimits.token_limit() == "7 per minute"
