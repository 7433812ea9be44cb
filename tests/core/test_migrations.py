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


@pytest.mark.no_db_isolation
def test_running_the_migrations_leaves_foreign_keys_on(app):
    """env.py turns SQLite's foreign keys off while it migrates. `flask db check` left that
    connection in the pool with them still off, so a later test's ON DELETE CASCADE did nothing
    (a reply draft outlived its invitation) depending on which connection it drew."""
    assert app.test_cli_runner().invoke(args=["db", "check"]).exit_code == 0
    with app.app_context():
        engine = db.engines[None]
        if engine.dialect.name != "sqlite":
            pytest.skip("foreign keys are always on in PostgreSQL")
        held = [engine.raw_connection() for _ in range(engine.pool.size())]  # every pooled one, no BEGIN
        try:
            assert [c.driver_connection.execute("PRAGMA foreign_keys").fetchone()[0] for c in held] == [1] * len(held)
        finally:
            for c in held:
                c.close()
