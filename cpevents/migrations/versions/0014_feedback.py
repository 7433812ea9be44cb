"""event feedback: personal feedback links and anonymous responses

Revision ID: 0014_feedback
Revises: 0011_event_closed_door_role
Create Date: 2026-11-25 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_feedback'
down_revision = '0011_event_closed_door_role'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_feedback_links_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feedback_links_token_hash'))
    )
    with op.batch_alter_table('feedback_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_links_invitation_id'), ['invitation_id'], unique=False)

    op.create_table('feedback_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('proud', sa.SmallInteger(), nullable=True),
    sa.Column('future', sa.SmallInteger(), nullable=True),
    sa.Column('supported', sa.SmallInteger(), nullable=True),
    sa.Column('views', sa.SmallInteger(), nullable=True),
    sa.Column('improve', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_feedback_responses_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_responses'))
    )
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_responses_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_responses_event_id'))
    op.drop_table('feedback_responses')
    with op.batch_alter_table('feedback_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_links_invitation_id'))
    op.drop_table('feedback_links')
