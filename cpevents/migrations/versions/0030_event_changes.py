"""When an event changes, people hear about it: an event's cancelling and calendar sequence, each change and what the organiser decided, and calendar files attached to email

Revision ID: 0030_event_changes
Revises: 0026_consents
Create Date: 2026-12-03 17:00:00.000000

Existing events start at sequence 0 and are not cancelled; no past change is backfilled.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_event_changes'
down_revision = '0029_winners_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_foreign_key(batch_op.f('fk_events_cancelled_by_id_users'), 'users', ['cancelled_by_id'], ['id'])
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', sa.Text(), nullable=True))
    op.create_table('event_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('changed', 'cancelled', name='event_change_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('old_starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('new_starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('old_venue', sa.String(length=200), nullable=False),
    sa.Column('new_venue', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.Enum('told', 'not_told', name='event_change_decision', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('emailed', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['email_batches.id'], name=op.f('fk_event_changes_batch_id_email_batches')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_event_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_event_changes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_changes_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_changes')),
    sa.UniqueConstraint('public_id', name=op.f('uq_event_changes_public_id'))
    )
    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_changes_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_changes_event_id'))
    op.drop_table('event_changes')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('calendar')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_cancelled_by_id_users'), type_='foreignkey')
        batch_op.drop_column('sequence')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
