"""Signals the events package sends, for the packages above it to react to (events stands below
registrations and home, so it never imports them). Receivers are connected in create_app."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the new Event (as sender) once it has an id, inside the creating transaction.
#: Registrations adds the default audiences of a Care Leavers Week event.
event_created = _signals.signal("event-created")

#: Sent with the Event (as sender) by the organiser's event page (events.show). Each receiver
#: returns a dict of values for the template: registrations gives `audiences`, home `stages`.
event_page = _signals.signal("event-page")
