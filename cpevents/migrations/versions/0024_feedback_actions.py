""""You said, we did": what organisers changed because of an event's feedback, and when it was sent

Revision ID: 0024_feedback_actions
Revises: 0023_erasure_requests
Create Date: 2026-12-03 14:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_feedback_actions'
down_revision = '0023_erasure_requests'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_actions_event_id_events')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_feedback_actions_sent_by_id_users')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_feedback_actions_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_actions')),
    sa.UniqueConstraint('event_id', name=op.f('uq_feedback_actions_event_id'))
    )


def downgrade():
    op.drop_table('feedback_actions')
