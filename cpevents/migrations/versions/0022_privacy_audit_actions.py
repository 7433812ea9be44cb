"""the audit trail can record a retention purge, an erasure on request and a subject-access download

Revision ID: 0022_privacy_audit_actions
Revises: 0021_nomination_drafts
Create Date: 2026-12-03 07:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_privacy_audit_actions'
down_revision = '0021_nomination_drafts'
branch_labels = None
depends_on = None

OLD_ACTIONS = ('viewed', 'created', 'updated', 'merged', 'worker_linked', 'worker_unlinked')
NEW_ACTIONS = OLD_ACTIONS + ('purged', 'erased', 'exported')


def _action_enum(values):
    return sa.Enum(*values, name='audit_action', native_enum=False, create_constraint=True, length=32)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _sqlite_append_only_triggers():
    # SQLite's batch mode copies the table to a new one, which drops the triggers made in 0003.
    for event in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entries_no_{event.lower()}")
        op.execute(
            f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
            "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted'); END"
        )


def upgrade():
    # The action column's CHECK constraint lists every action: widen it.
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=_action_enum(OLD_ACTIONS), type_=_action_enum(NEW_ACTIONS), existing_nullable=False)
    if _sqlite():
        _sqlite_append_only_triggers()


def downgrade():
    # The audit trail is append-only; a downgrade relabels the new actions as changes, with the guard
    # lifted for that one statement.
    if _sqlite():
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    else:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
    op.execute("UPDATE audit_entries SET action = 'updated' WHERE action IN ('purged', 'erased', 'exported')")
    if not _sqlite():
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=_action_enum(NEW_ACTIONS), type_=_action_enum(OLD_ACTIONS), existing_nullable=False)
    if _sqlite():
        _sqlite_append_only_triggers()
