"""Signals the mail package sends, for the packages above it to react to (mail stands below
accounts, so it never imports them). Receivers are connected in create_app."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the OutboxMessage (as sender) when the mail server refused its address for good
#: (SMTP 5xx at RCPT). Sent inside the sending transaction, before it is committed.
address_refused = _signals.signal("address-refused")
