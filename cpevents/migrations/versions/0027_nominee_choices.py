"""Nominees choose their name and how to say it, and hear the shortlist decision

Revision ID: 0027_nominee_choices
Revises: 0026_consents
Create Date: 2026-12-03 16:40:00.000000

young_people.name_pronunciation: a short hint for whoever reads names aloud, written by the young
person. judging_panels.not_shortlisted_message: the organisers' plain words for those not
shortlisted. nominee_notices: the decision as the young person reads it, and when it was sent.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_nominee_choices'
down_revision = '0026_consents'
branch_labels = None
depends_on = None

DECISIONS = ('shortlisted', 'not_this_time')


def upgrade():
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_pronunciation', sa.String(length=60), nullable=False, server_default=''))
    with op.batch_alter_table('judging_panels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_shortlisted_message', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('nominee_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision', sa.Enum(*DECISIONS, name='nominee_decision', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_message', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('personal_line', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('decision_sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # The decision's CHECK constraint goes first: SQLite's batch copy would otherwise keep it
    # without its column ("no such column: decision").
    with op.batch_alter_table('nominee_notices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_nominee_notices_nominee_decision'), type_='check')
        for column in ('decision_sent_at', 'personal_line', 'decision_message', 'decided_at', 'decision'):
            batch_op.drop_column(column)
    with op.batch_alter_table('judging_panels', schema=None) as batch_op:
        batch_op.drop_column('not_shortlisted_message')
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.drop_column('name_pronunciation')
