"""the audit trail can record a retention purge, an erasure on request and a subject-access download

Revision ID: 0022_privacy_audit_actions
Revises: 0021_nomination_drafts
Create Date: 2026-12-03 07:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_privacy_audit_actions'
down_revision = '0021_nomination_drafts'
branch_labels = None
depends_on = None

OLD_ACTIONS = ('viewed', 'created', 'updated', 'merged', 'worker_linked', 'worker_unlinked')
NEW_ACTIONS = OLD_ACTIONS + ('purged', 'erased', 'exported')


def _action_enum(values):
    return sa.Enum(*values, name='audit_action', native_enum=False, create_constraint=True, length=32)


def upgrade():
    # The action column's CHECK constraint lists every action: widen it.
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=_action_enum(OLD_ACTIONS), type_=_action_enum(NEW_ACTIONS), existing_nullable=False)


def downgrade():
    # The audit trail refuses deletes from the app; a downgrade relabels the new actions as changes.
    op.execute("UPDATE audit_entries SET action = 'updated' WHERE action IN ('purged', 'erased', 'exported')")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=_action_enum(NEW_ACTIONS), type_=_action_enum(OLD_ACTIONS), existing_nullable=False)
