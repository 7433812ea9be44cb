"""data versions: a random token per kind of data, renewed when it changes, for cached page parts

Revision ID: 0009_data_versions
Revises: 0008_champions_achievements
Create Date: 2026-11-25 08:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_data_versions'
down_revision = '0008_champions_achievements'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )


def downgrade():
    op.drop_table('data_versions')
