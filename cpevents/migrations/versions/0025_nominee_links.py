"""Nominees told they are nominated: what was told, and their personal links

Revision ID: 0025_nominee_links
Revises: 0024_feedback_actions
Create Date: 2026-12-03 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_nominee_links'
down_revision = '0024_feedback_actions'
branch_labels = None
depends_on = None

STATES = ('waiting_for_nominator', 'waiting_for_organiser', 'letter_to_hand', 'told', 'declined')


def upgrade():
    op.create_table('nominee_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum(*STATES, name='nominee_notice_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('panel_version_approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('panel_version_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('own_words', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['nomination_files.id'], name=op.f('fk_nominee_notices_file_id_nomination_files')),
    sa.ForeignKeyConstraint(['panel_version_approved_by_id'], ['users.id'], name=op.f('fk_nominee_notices_panel_version_approved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominee_notices')),
    sa.UniqueConstraint('file_id', name=op.f('uq_nominee_notices_file_id'))
    )
    op.create_table('nominee_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['nomination_files.id'], name=op.f('fk_nominee_links_file_id_nomination_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominee_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_nominee_links_token_hash'))
    )
    with op.batch_alter_table('nominee_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominee_links_file_id'), ['file_id'], unique=False)


def downgrade():
    with op.batch_alter_table('nominee_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominee_links_file_id'))
    op.drop_table('nominee_links')
    op.drop_table('nominee_notices')
