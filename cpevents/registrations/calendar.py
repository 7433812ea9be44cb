"""The event as a calendar file (icalendar), as for invitations (cpevents/invitations/qr.py)."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from cpevents.invitations.qr import EVENT_LENGTH


def calendar_file(event) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//cpevents//registrations//EN")
    cal.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.public_id}@cpevents")
    item.add("summary", event.name)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.starts_at + EVENT_LENGTH)
    item.add("dtstamp", event.updated_at or event.starts_at)
    if event.venue:
        item.add("location", event.venue)
    words = [event.theme and f"Theme: {event.theme}", event.description, event.planning_credit]
    item.add("description", "\n\n".join(w for w in words if w) or event.name)
    cal.add_component(item)
    return cal.to_ical()
