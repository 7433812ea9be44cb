"""events can be closed after they happen; a door helper role for volunteers at the door

Revision ID: 0011_event_closed_door_role
Revises: 0010_invitations
Create Date: 2026-11-25 10:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_event_closed_door_role'
down_revision = '0010_invitations'
branch_labels = None
depends_on = None

OLD_ROLES = ('organiser', 'nominator', 'judge', 'champion', 'board')
NEW_ROLES = OLD_ROLES + ('door_helper',)


def _role_enum(values):
    return sa.Enum(*values, name='role', native_enum=False, create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_events_closed_by_id_users'), 'users', ['closed_by_id'], ['id'])

    # The role column's CHECK constraint lists every role: widen it.
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_role_enum(OLD_ROLES), type_=_role_enum(NEW_ROLES), existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM user_roles WHERE role = 'door_helper'")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_role_enum(NEW_ROLES), type_=_role_enum(OLD_ROLES), existing_nullable=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')
