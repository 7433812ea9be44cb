"""running order and presenter's sheet: each printing of a sealed presenter's sheet (the version naming the winner) is kept, per award

Revision ID: 0034_running_order
Revises: 0033_event_messages
Create Date: 2026-12-04 16:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0034_running_order'
down_revision = '0033_event_messages'
branch_labels = None
depends_on = None


def upgrade():
    # The running order itself is award_categories.position (no change): see docs/issue18-stage.md.
    op.create_table('sealed_sheet_prints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('printed_by_id', sa.Integer(), nullable=True),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('as_pdf', sa.Boolean(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['award_categories.id'], name=op.f('fk_sealed_sheet_prints_category_id_award_categories')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_sealed_sheet_prints_event_id_events')),
    sa.ForeignKeyConstraint(['printed_by_id'], ['users.id'], name=op.f('fk_sealed_sheet_prints_printed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_sheet_prints')),
    sa.UniqueConstraint('public_id', name=op.f('uq_sealed_sheet_prints_public_id'))
    )
    with op.batch_alter_table('sealed_sheet_prints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_sheet_prints_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sealed_sheet_prints_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sealed_sheet_prints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_sheet_prints_event_id'))
        batch_op.drop_index(batch_op.f('ix_sealed_sheet_prints_category_id'))
    op.drop_table('sealed_sheet_prints')
