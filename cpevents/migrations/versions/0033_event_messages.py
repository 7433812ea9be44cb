"""Messages to the people coming: each message an organiser sends to a group of one event's people, kept with the event

Revision ID: 0033_event_messages
Revises: 0032_worker_letters
Create Date: 2026-12-03 17:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0033_event_messages'
down_revision = '0032_worker_letters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.Enum('coming', 'not_replied', 'waiting', 'not_coming', 'audience', 'nominators', 'door_helpers', name='event_message_group', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('audience_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('emailed', sa.Integer(), nullable=False),
    sa.Column('not_emailed', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['audience_id'], ['event_audiences.id'], name=op.f('fk_event_messages_audience_id_event_audiences')),
    sa.ForeignKeyConstraint(['batch_id'], ['email_batches.id'], name=op.f('fk_event_messages_batch_id_email_batches')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_messages_event_id_events')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_event_messages_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_messages')),
    sa.UniqueConstraint('public_id', name=op.f('uq_event_messages_public_id'))
    )
    with op.batch_alter_table('event_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_messages_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_messages_event_id'))
    op.drop_table('event_messages')
