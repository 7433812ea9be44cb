"""Keeping secrets and searches out of logs.

A personal link's token is as good as a password for a young person's invitation or feedback, and
a search is often a young person's name. Web addresses reach logs in three ways: the server's
access log (gunicorn, with `deploy/gunicorn.conf.py`), the development server's request lines, and
messages that quote a path. All three go through `redact_url` or `redact_text`:

- the part of the path that is a token or a door code becomes `[token]`: `/i/[token]`;
- a query string, whatever it holds, becomes `?[query]` (searches, filters, `next=` addresses).

Each line can be JSON (`LOG_FORMAT=json`, the default in production): time, level, logger,
message and the request's id, which comes from a proxy's `X-Request-ID` when it is short and
plain, or is made here, and goes back in the response's `X-Request-ID` (issue 15).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlsplit, urlunsplit

TOKEN = "[token]"  # noqa: S105 - what a redacted token reads as in the logs
QUERY = "[query]"

# Every route whose address carries a secret (grep the url rules for <token> and <..._code>;
# tests/core/test_logs.py walks the url map and fails for one not covered here).
TOKEN_PREFIXES = ("i", "f", "n", "reset-password", "set-password", "verify-email", "registrations/cancel", "champions/confirm")
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


# --- request ids and JSON lines (issue 15) ---------------------------------------------------------

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a proxy: short, and only characters that cannot break a log line or a header.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def valid_request_id(value: str | None) -> str | None:
    """`value` when it is a usable request id (1-64 letters, digits, `.`, `_`, `:`, `-`), else None."""
    value = (value or "").strip()
    return value if _SAFE_REQUEST_ID.fullmatch(value) else None


def request_id() -> str | None:
    """This request's id (None outside a request): the incoming `X-Request-ID` when valid,
    otherwise a new random one, kept for the rest of the request."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return None
    current = g.get("request_id")
    if current is None:
        current = g.request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
    return current


class RequestIdFilter(logging.Filter):
    """Put on a handler: each record it writes carries `request_id` (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, and the traceback
    as `exception` when there is one. Put after RedactFilter, which has already cleaned the message
    and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = redact_text(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATS = ("text", "json")


def use_format(handler: logging.Handler, log_format: str) -> None:
    """Give a handler the chosen line format, the request id and the redaction (each once)."""
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
        handler.addFilter(RequestIdFilter())
    if not any(isinstance(f, RedactFilter) for f in handler.filters):
        handler.addFilter(RedactFilter())
