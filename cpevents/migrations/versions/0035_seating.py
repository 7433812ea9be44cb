"""Name cards and seating: an event's tables, and which table each party sits at

Revision ID: 0035_seating
Revises: 0034_running_order
Create Date: 2026-12-04 16:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0035_seating'
down_revision = '0034_running_order'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seating_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('near_door', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_seating_tables_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seating_tables')),
    sa.UniqueConstraint('event_id', 'name', name='uq_seating_tables_event_id_name'),
    sa.UniqueConstraint('public_id', name=op.f('uq_seating_tables_public_id'))
    )
    with op.batch_alter_table('seating_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seating_tables_event_id'), ['event_id'], unique=False)

    op.create_table('party_seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('by_hand', sa.Boolean(), nullable=False),
    sa.Column('seated_by_id', sa.Integer(), nullable=True),
    sa.Column('seated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(invitation_id IS NULL) <> (registration_id IS NULL)', name=op.f('ck_party_seats_one_party')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_party_seats_invitation_id_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_party_seats_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seated_by_id'], ['users.id'], name=op.f('fk_party_seats_seated_by_id_users')),
    sa.ForeignKeyConstraint(['table_id'], ['seating_tables.id'], name=op.f('fk_party_seats_table_id_seating_tables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_seats')),
    sa.UniqueConstraint('invitation_id', name='uq_party_seats_invitation_id'),
    sa.UniqueConstraint('registration_id', name='uq_party_seats_registration_id')
    )
    with op.batch_alter_table('party_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_seats_table_id'), ['table_id'], unique=False)


def downgrade():
    with op.batch_alter_table('party_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_seats_table_id'))
    op.drop_table('party_seats')
    with op.batch_alter_table('seating_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seating_tables_event_id'))
    op.drop_table('seating_tables')
