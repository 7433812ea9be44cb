"""Text messages through GOV.UK Notify: a mobile number and agreement on young people and registrations, a channel on the outbox

Revision ID: 0031_text_messages
Revises: 0030_event_changes
Create Date: 2026-12-03 17:30:00.000000

Every existing outbox message is an email (server default 'email'); nobody has a mobile number yet.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031_text_messages'
down_revision = '0030_event_changes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('mobile_agreed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('mobile_agreed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mobile_failed', sa.String(length=100), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_young_people_mobile_agreed_by_id_users'), 'users', ['mobile_agreed_by_id'], ['id'])
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('mobile_agreed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('email', 'text', name='message_channel', native_enum=False, create_constraint=True, length=32),
                                      nullable=False, server_default='email'))


def downgrade():
    # The column's CHECK constraint goes first: SQLite's batch copy would otherwise keep it
    # without its column.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_message_channel'), type_='check')
        batch_op.drop_column('channel')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('mobile_agreed_at')
        batch_op.drop_column('mobile')
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_young_people_mobile_agreed_by_id_users'), type_='foreignkey')
        for column in ('mobile_failed', 'mobile_agreed_by_id', 'mobile_agreed_at', 'mobile'):
            batch_op.drop_column(column)
