"""a young person's own place is never taken by someone's guest: a guest with no room waits
for a place (invitation_guests.waiting_since) while the young person is coming; each guest's own
food, drink and access needs, so the venue's summary counts people, not replies

Revision ID: 0020_invitee_places
Revises: 0019_sessions_drafts
Create Date: 2026-12-02 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_invitee_places'
down_revision = '0019_sessions_drafts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('dietary', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('dietary_other', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('access', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('access_other', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.drop_column('access_other')
        batch_op.drop_column('access')
        batch_op.drop_column('dietary_other')
        batch_op.drop_column('dietary')
        batch_op.drop_column('waiting_since')
