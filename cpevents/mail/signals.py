"""Signals the mail package sends, for the packages above it to react to (mail stands below
accounts, so it never imports them). Receivers are connected in create_app."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the OutboxMessage (as sender) when the mail server refused its address for good
#: (SMTP 5xx at RCPT). Sent inside the sending transaction, before it is committed.
address_refused = _signals.signal("address-refused")

#: Sent with the mobile number (as sender) and reason= when GOV.UK Notify refused a number for
#: good (400 ValidationError: not a mobile number). Sent inside the sending transaction, before
#: it is committed; young_people and registrations mark the records with that number.
number_refused = _signals.signal("number-refused")
