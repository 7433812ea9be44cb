"""QR codes (segno, inline SVG: no image request, nothing for the CSP to allow) and the calendar file."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

import segno
from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from markupsafe import Markup, escape

EVENT_LENGTH = timedelta(hours=3)


def _svg(data: str, title: str, scale: int = 4) -> Markup:
    svg = segno.make(data, error="m").svg_inline(scale=scale, title=title, svgclass="app-code", lineclass=None)
    # An image with a name for screen readers.
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="' + str(escape(title)) + '" ', 1))  # noqa: S704 - segno's SVG; the title is escaped


def door_url(invitation) -> str:
    """The check-in page for the door (built in issue 8). The code is random and is not the
    personal link's token, so showing it at the door gives nobody the invitation."""
    return current_app.config["BASE_URL"].rstrip("/") + f"/door/{invitation.door_code}"


def door_svg(invitation) -> Markup:
    return _door_svg(door_url(invitation))


@lru_cache(maxsize=2048)
def _door_svg(url: str) -> Markup:
    """The same code every time for one invitation, so it is made once per process."""
    return _svg(url, "QR code to show at the door")


def link_svg(url: str) -> Markup:
    return _svg(url, "QR code for your invitation link")


def calendar_file(invitation, show_venue: bool) -> bytes:
    event = invitation.event
    cal = Calendar()
    cal.add("prodid", "-//cpevents//invitations//EN")
    cal.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"{invitation.door_code}@cpevents")
    item.add("summary", event.name)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.starts_at + EVENT_LENGTH)
    item.add("dtstamp", event.updated_at or event.starts_at)
    if show_venue and event.venue:
        item.add("location", event.venue)
    item.add("description", "Your invitation. Show your door code when you arrive.")
    cal.add_component(item)
    return cal.to_ical()
