"""SQL statements per request, counted and sent back in a response header, for bench/pages_bench.py.

Off unless SQL_COUNT_HEADER is set (in any environment, production included, it must be asked for
by name). It sends a number and nothing else: no statement text, no parameters, no timing. The
count covers every statement from the start of the request until the response leaves Flask (the
views commit before they return, so their writes are in it; a streamed download's later rows are not).
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-SQL-Statements"


def _count(*_args) -> None:
    if has_request_context():
        g._sql_statements = g.get("_sql_statements", 0) + 1


def init_sql_count(app: Flask, engine: Engine) -> None:
    """Count statements on `engine` and send the count in the X-SQL-Statements header."""
    if not app.config.get("SQL_COUNT_HEADER"):
        return
    if not event.contains(engine, "before_cursor_execute", _count):
        event.listen(engine, "before_cursor_execute", _count)
    app.logger.warning("SQL_COUNT_HEADER is on: every response says how many SQL statements it ran (for benchmarks only)")

    @app.after_request
    def send_sql_count(response):
        response.headers[HEADER] = str(g.get("_sql_statements", 0))
        return response
