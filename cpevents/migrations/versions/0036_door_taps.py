"""Door taps: each tap made on a phone at the door (perhaps offline) is recorded once by its own id

Revision ID: 0036_door_taps
Revises: 0035_seating
Create Date: 2026-12-04 16:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0036_door_taps'
down_revision = '0035_seating'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('door_taps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tap_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=36), nullable=False),
    sa.Column('tapped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_door_taps_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_door_taps_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_door_taps')),
    sa.UniqueConstraint('tap_id', name='uq_door_taps_tap_id')
    )
    with op.batch_alter_table('door_taps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_door_taps_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('door_taps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_door_taps_event_id'))
    op.drop_table('door_taps')
