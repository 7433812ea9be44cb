"""champions, services, pledges and the achievement log

Revision ID: 0008_champions_achievements
Revises: 0007_judging
Create Date: 2026-11-25 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_champions_achievements'
down_revision = '0007_judging'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
