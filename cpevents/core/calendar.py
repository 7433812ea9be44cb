"""Calendar files (icalendar) for one event, from plain values: registrations and invitations each
say what goes in theirs."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

# Events have no end time; a calendar entry needs one.
EVENT_LENGTH = timedelta(hours=3)


def calendar_file(*, product: str, uid: str, summary: str, starts_at: datetime, stamp: datetime,
                  description: str, location: str | None = None, length: timedelta = EVENT_LENGTH) -> bytes:
    """One event in an .ics file. `product` names the part of the service that made it ("invitations")."""
    cal = Calendar()
    cal.add("prodid", f"-//cpevents//{product}//EN")
    cal.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", uid)
    item.add("summary", summary)
    item.add("dtstart", starts_at)
    item.add("dtend", starts_at + length)
    item.add("dtstamp", stamp)
    if location:
        item.add("location", location)
    item.add("description", description)
    cal.add_component(item)
    return cal.to_ical()
