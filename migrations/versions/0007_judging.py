"""judging panels, assignments, conflicts, scores, decisions

Revision ID: 0007_judging
Revises: 0006_nomination_files
Create Date: 2026-11-25 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_judging'
down_revision = '0006_nomination_files'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
