"""a draft nomination remembers the furthest page its nominator saved (furthest_page), so that
continuing it opens the first page still to answer, optional pages included

Revision ID: 0021_nomination_drafts
Revises: 0020_invitee_places
Create Date: 2026-12-02 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_nomination_drafts'
down_revision = '0020_invitee_places'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('furthest_page', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_column('furthest_page')
