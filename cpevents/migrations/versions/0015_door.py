"""check-in at the door: door helpers per event, check-in times, guests added at the door, door notes

Revision ID: 0015_door
Revises: 0014_feedback
Create Date: 2026-12-01 13:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_door'
down_revision = '0014_feedback'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_door_helpers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_event_door_helpers_added_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_door_helpers_event_id_events')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_door_helpers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_door_helpers')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_event_door_helpers_event_id_user_id'),
    sa.UniqueConstraint('public_id', name=op.f('uq_event_door_helpers_public_id'))
    )
    with op.batch_alter_table('event_door_helpers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_door_helpers_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_door_helpers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checked_in_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_at_door', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invitation_guests_added_by_id_users'), 'users', ['added_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_invitation_guests_checked_in_by_id_users'), 'users', ['checked_in_by_id'], ['id'])

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checked_in_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('door_note', sa.String(length=140), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_invitations_checked_in_by_id_users'), 'users', ['checked_in_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitations_checked_in_by_id_users'), type_='foreignkey')
        batch_op.drop_column('door_note')
        batch_op.drop_column('checked_in_by_id')
        batch_op.drop_column('checked_in_at')

    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitation_guests_checked_in_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_invitation_guests_added_by_id_users'), type_='foreignkey')
        batch_op.drop_column('added_at')
        batch_op.drop_column('added_by_id')
        batch_op.drop_column('added_at_door')
        batch_op.drop_column('checked_in_by_id')
        batch_op.drop_column('checked_in_at')

    with op.batch_alter_table('event_door_helpers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_door_helpers_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_door_helpers_event_id'))

    op.drop_table('event_door_helpers')
