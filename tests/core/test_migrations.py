"""The Alembic migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cpevents.extensions import db


def test_migrations_match_models(app):
    connection = db.engines[None]  # the test's own connection (see tests/conftest.py)
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree; run `flask db migrate`: {diff}"


@pytest.mark.no_db_isolation
def test_flask_db_check_agrees(app):
    """The same check a developer runs: `flask db check`."""
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
