"""UK mobile numbers (for text messages through GOV.UK Notify, issue 17).

A number is accepted as typed with spaces, dashes, dots or brackets, starting 07, 447 or +447
(also 00447), and is stored as +447 followed by 9 digits, the form Notify reports back."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"^(?:\+44|0044|44|0)(7\d{9})$")


def normalise_uk_mobile(text: str | None) -> str | None:
    """'07700 900123' -> '+447700900123'; None when it is not a UK mobile number."""
    if not text:
        return None
    digits = _SEPARATORS.sub("", text.strip())
    match = _MOBILE.match(digits)
    return f"+44{match.group(1)}" if match else None


def shown_mobile(number: str) -> str:
    """'+447700900123' -> '07700 900123', as people write it."""
    if number.startswith("+44") and len(number) == 13:
        local = "0" + number[3:]
        return f"{local[:5]} {local[5:]}"
    return number
