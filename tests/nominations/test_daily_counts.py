"""The daily summary's counts come from the database per event (issue 19), not one row per nomination."""

from __future__ import annotations

from datetime import timedelta

from cpevents.core.time import utcnow
from cpevents.extensions import db
from cpevents.nominations.review import daily_counts
from tests.nominations.test_journey import open_event
from tests.nominations.test_review import sent_nomination


def test_daily_counts_are_per_event_and_only_the_last_day(app):
    first, second = open_event(), open_event()
    for _ in range(3):
        sent_nomination(first)
    sent_nomination(second)
    old = sent_nomination(second)
    old.submitted_at = utcnow() - timedelta(days=2)
    db.session.commit()
    counts = daily_counts(utcnow() - timedelta(hours=24))
    assert counts[first.id] == 3 and counts[second.id] == 1
    assert sum(counts.values()) == 4
