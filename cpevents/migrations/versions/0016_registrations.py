"""audiences of an event, public registration with a waiting list per audience; event theme and planning credit

Revision ID: 0016_registrations
Revises: 0015_door
Create Date: 2026-12-01 13:01:17


"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_registrations'
down_revision = '0015_door'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_audiences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('professionals', 'councillors', 'other', name='audience_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_audiences_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_audiences')),
    sa.UniqueConstraint('event_id', 'name', name='uq_event_audiences_event_id_name'),
    sa.UniqueConstraint('public_id', name=op.f('uq_event_audiences_public_id'))
    )
    with op.batch_alter_table('event_audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_audiences_event_id'), ['event_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('audience_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('organisation', sa.String(length=160), nullable=False),
    sa.Column('role', sa.String(length=160), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_key', sa.String(length=320), nullable=True),
    sa.Column('access_needs', sa.String(length=200), nullable=False),
    sa.Column('dietary_needs', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waiting', 'cancelled', name='registration_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_token_hash', sa.String(length=64), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audience_id'], ['event_audiences.id'], name=op.f('fk_registrations_audience_id_event_audiences')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_registrations_cancelled_by_id_users')),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_registrations_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registrations_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('cancel_token_hash', name=op.f('uq_registrations_cancel_token_hash')),
    sa.UniqueConstraint('event_id', 'email_key', name='uq_registrations_event_id_email_key'),
    sa.UniqueConstraint('public_id', name=op.f('uq_registrations_public_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_audience_id'), ['audience_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        # Existing events get empty text; the default is only for this step.
        batch_op.add_column(sa.Column('theme', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('planning_credit', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('theme', server_default=None, existing_type=sa.String(length=120), existing_nullable=False)
        batch_op.alter_column('planning_credit', server_default=None, existing_type=sa.String(length=300), existing_nullable=False)



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('planning_credit')
        batch_op.drop_column('theme')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_event_id'))
        batch_op.drop_index(batch_op.f('ix_registrations_audience_id'))

    op.drop_table('registrations')
    with op.batch_alter_table('event_audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_audiences_event_id'))

    op.drop_table('event_audiences')
