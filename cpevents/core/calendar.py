"""Calendar files (icalendar) for one event, from plain values: registrations and invitations each
say what goes in theirs.

A calendar keeps one entry per UID and replaces it with a file carrying a higher SEQUENCE, so the
same person's files for the same event always carry the same UID, and the event's sequence goes
up after each change of date, time or venue (`Event.sequence`). A cancelled event's file says
STATUS:CANCELLED; sent in an email it also says METHOD:CANCEL, so calendars remove the entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

# Events have no end time; a calendar entry needs one.
EVENT_LENGTH = timedelta(hours=3)

PUBLISH = "PUBLISH"
CANCEL = "CANCEL"


def calendar_file(*, product: str, uid: str, summary: str, starts_at: datetime, stamp: datetime,
                  description: str, location: str | None = None, length: timedelta = EVENT_LENGTH,
                  sequence: int = 0, cancelled: bool = False, method: str | None = None,
                  organizer: str | None = None) -> bytes:
    """One event in an .ics file. `product` names the part of the service that made it ("invitations").
    `method` (PUBLISH or CANCEL) is for files sent in an email; `organizer` an address for CANCEL."""
    cal = Calendar()
    cal.add("prodid", f"-//cpevents//{product}//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    item = CalendarEvent()
    item.add("uid", uid)
    item.add("sequence", sequence)
    item.add("summary", summary)
    item.add("dtstart", starts_at)
    item.add("dtend", starts_at + length)
    item.add("dtstamp", stamp)
    if cancelled:
        item.add("status", "CANCELLED")
    if organizer:
        item.add("organizer", f"mailto:{organizer}")
    if location:
        item.add("location", location)
    item.add("description", description)
    cal.add_component(item)
    return cal.to_ical()
