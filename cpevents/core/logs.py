"""Keeping secrets and searches out of logs.

A personal link's token is as good as a password for a young person's invitation or feedback, and
a search is often a young person's name. Web addresses reach logs in three ways: the server's
access log (gunicorn, with `deploy/gunicorn.conf.py`), the development server's request lines, and
messages that quote a path. All three go through `redact_url` or `redact_text`:

- the part of the path that is a token or a door code becomes `[token]`: `/i/[token]`;
- a query string, whatever it holds, becomes `?[query]` (searches, filters, `next=` addresses).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

TOKEN = "[token]"
QUERY = "[query]"

# Every route whose address carries a secret (grep the url rules for <token> and <..._code>;
# tests/core/test_logs.py walks the url map and fails for one not covered here).
TOKEN_PREFIXES = ("i", "f", "reset-password", "set-password", "verify-email", "registrations/cancel", "champions/confirm")
# `/door/<code>` is a young person's door code; the door's other pages carry only record ids.
DOOR_PAGES = ("events", "guests", "invitations", "registrations")

_STOP = r"/?#\s\"'<>"  # what ends a path segment, in a path or in running text
_TOKEN_PATH = re.compile(rf"(/(?:{'|'.join(re.escape(p) for p in TOKEN_PREFIXES)}))/[^{_STOP}]+", re.IGNORECASE)
_DOOR_PATH = re.compile(rf"(/door)/(?!(?:{'|'.join(DOOR_PAGES)})(?:[{_STOP}]|$))[^{_STOP}]+", re.IGNORECASE)
_QUERY_IN_TEXT = re.compile(r"(/[^?\s\"'<>]*)\?[^\s\"'<>#]+")
_SAFE_PATH = "/:@!$&'()*+,;=-._~[]"


def redact_path(path: str) -> str:
    """A path (no query) with every token or door code replaced by `[token]`."""
    path = _TOKEN_PATH.sub(rf"\1/{TOKEN}", path)
    return _DOOR_PATH.sub(rf"\1/{TOKEN}", path)


def redact_url(url: str | None) -> str:
    """A web address or path as it may be logged: tokens replaced, any query string dropped.
    Percent-escapes are read first (so `/%69/abc` is seen as `/i/abc`) and written back."""
    if not url or url == "-":
        return url or ""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a web address at all ("http://[oops"): keep only what is before any "?"
        head, mark, _ = url.partition("?")
        return redact_text(head) + (f"?{QUERY}" if mark else "")
    path = quote(redact_path(unquote(parts.path)), safe=_SAFE_PATH)
    query = QUERY if parts.query else ""
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def redact_text(text: str) -> str:
    """Any text (a log message, a traceback) with the paths in it redacted like `redact_url`."""
    if "/" not in text:
        return text
    text = _TOKEN_PATH.sub(rf"\1/{TOKEN}", text)
    text = _DOOR_PATH.sub(rf"\1/{TOKEN}", text)
    return _QUERY_IN_TEXT.sub(rf"\1?{QUERY}", text)


class RedactFilter(logging.Filter):
    """Put on a handler: every record it writes has its message and traceback redacted."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def redact_handlers(logger: logging.Logger) -> None:
    """Add a RedactFilter to each of the logger's handlers (once)."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())
