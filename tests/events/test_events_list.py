"""Issue 19: the events list is paged (ten years of events is hundreds) and its query count does
not grow with the number of events."""

from __future__ import annotations

from datetime import timedelta

from cpevents.core.enums import Role
from cpevents.core.time import utcnow
from cpevents.events.models import EventKind
from cpevents.events.services import create_event
from cpevents.events.views import EVENTS_PAGE_SIZE
from cpevents.extensions import db
from tests.factories import make_user, queries_for, sign_in


def _events(start: int, n: int) -> None:
    for i in range(start, start + n):
        create_event(kind=EventKind.PROUD_AWARDS if i % 2 else EventKind.OTHER, name=f"Event number {i:03d}",
                     starts_at=utcnow() - timedelta(days=30 * i), venue="County Hall", capacity=100, description="", min_age=11, max_age=25, by=None)
    db.session.commit()


def test_events_list_is_paged_latest_first_and_does_not_grow_with_events(client):
    sign_in(client, make_user(Role.ORGANISER, totp=True))
    _events(0, 3)
    few = queries_for(client, "/events")
    _events(3, EVENTS_PAGE_SIZE + 10)
    assert queries_for(client, "/events") == few
    first = client.get("/events").get_data(as_text=True)
    assert "Event number 000" in first and f"Event number {EVENTS_PAGE_SIZE:03d}" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    last = client.get("/events?page=2").get_data(as_text=True)
    assert f"Event number {EVENTS_PAGE_SIZE + 12:03d}" in last and "Event number 000" not in last
