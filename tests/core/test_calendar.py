"""cpevents/core/calendar.py: one event in an .ics file, from plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from cpevents.core.calendar import EVENT_LENGTH, calendar_file

START = datetime(2026, 10, 24, 14, 0, tzinfo=UTC)


def _event(**values):
    body = calendar_file(product="tests", uid="x@cpevents", summary="PROUD Awards", starts_at=START, stamp=START,
                         description="Show your door code.", **values)
    return next(c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"), body


def test_calendar_file_holds_the_event():
    item, body = _event(location="The Forum")
    assert b"PRODID:-//cpevents//tests//EN" in body
    assert str(item["summary"]) == "PROUD Awards" and str(item["uid"]) == "x@cpevents"
    assert item.decoded("dtstart") == START and item.decoded("dtend") == START + EVENT_LENGTH
    assert str(item["location"]) == "The Forum" and str(item["description"]) == "Show your door code."


def test_no_location_when_there_is_none_to_show():
    item, _ = _event(location=None, length=timedelta(hours=1))
    assert "location" not in item and item.decoded("dtend") == START + timedelta(hours=1)
