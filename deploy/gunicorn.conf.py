"""Gunicorn settings for cpevents: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Anything here can be changed on the command line (`--workers 8`) or in GUNICORN_CMD_ARGS.

The access log never holds a personal link's token or a search: the logger below writes
`/i/[token]` for `/i/<token>` (and the same for every address that carries a token or a door
code) and `?[query]` for any query string, in the request line, the Referer and every other
field a log format can name. Gunicorn's error log and the app's own log are redacted the same
way (cpevents/core/logs.py).
"""

from __future__ import annotations

import os
import sys

from gunicorn.glogging import Logger

try:
    from cpevents.core.logs import QUERY, redact_handlers, redact_text, redact_url
except ImportError:  # run from a checkout that is not installed: the app is one folder up
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from cpevents.core.logs import QUERY, redact_handlers, redact_text, redact_url

bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
accesslog = "-"
errorlog = "-"

# Fields of a log line that are web addresses, and fields that are secret whole.
_ADDRESSES = {"U", "f", "{referer}i", "{location}o", "{raw_uri}e", "{path_info}e", "{request_uri}e", "{http_referer}e"}
_QUERIES = {"q", "{query_string}e"}
_SECRETS = {"{cookie}i", "{authorization}i", "{set-cookie}o", "{http_cookie}e", "{http_authorization}e"}


class RedactingLogger(Logger):
    """Gunicorn's logger, with tokens and query strings taken out of every field."""

    def setup(self, cfg):
        super().setup(cfg)
        redact_handlers(self.error_log)
        redact_handlers(self.access_log)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if not isinstance(value, str):
                continue
            if key in _SECRETS:
                atoms[key] = "[removed]"
            elif key in _QUERIES:
                atoms[key] = QUERY if value else ""
            elif key in _ADDRESSES:
                atoms[key] = redact_url(value)
            else:
                atoms[key] = redact_text(value)
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {redact_url(environ.get('RAW_URI', ''))} {environ.get('SERVER_PROTOCOL', '-')}"
        return atoms


logger_class = RedactingLogger
