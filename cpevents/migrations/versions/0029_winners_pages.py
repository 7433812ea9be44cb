"""An event's public winners page: published or not, and by whom (nothing about a young person)

Revision ID: 0029_winners_pages
Revises: 0026_consents
Create Date: 2026-12-03 16:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_winners_pages'
down_revision = '0027_nominee_choices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('winners_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('unpublished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unpublished_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_winners_pages_event_id_events')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_winners_pages_published_by_id_users')),
    sa.ForeignKeyConstraint(['unpublished_by_id'], ['users.id'], name=op.f('fk_winners_pages_unpublished_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_winners_pages')),
    sa.UniqueConstraint('event_id', name=op.f('uq_winners_pages_event_id'))
    )


def downgrade():
    op.drop_table('winners_pages')
