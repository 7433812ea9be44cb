"""The SQL statement count header (for bench/pages_bench.py): off unless asked for by name."""

from __future__ import annotations

from cpevents import create_app
from cpevents.config import TestConfig
from cpevents.core.sqlcount import HEADER


def test_no_statement_count_header_unless_asked_for(client):
    assert HEADER not in client.get("/healthz").headers


def test_statement_count_header_when_asked_for(app):
    counting = create_app(TestConfig, overrides={"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SQL_COUNT_HEADER": True})
    response = counting.test_client().get("/healthz")
    assert response.status_code == 200
    assert int(response.headers[HEADER]) >= 1  # the health check's SELECT 1
