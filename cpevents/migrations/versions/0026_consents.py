"""Consents that are clear, separate and can be withdrawn: their history, and the current state on invitations and guests

Revision ID: 0026_consents
Revises: 0025_nominee_links
Create Date: 2026-12-03 15:00:00.000000

Existing invitations keep their answers (photo_consent, name_read); photos_ok starts as their
photo answer, and no history is backfilled.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_consents'
down_revision = '0025_nominee_links'
branch_labels = None
depends_on = None

KINDS = ('name_read', 'photos', 'use_website', 'use_social', 'use_press', 'use_annual_report', 'agreement', 'needs_agreement')


def upgrade():
    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('guest_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum(*KINDS, name='consent_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('how', sa.Enum('link', 'worker', 'phone', name='consent_how', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_consent_records_by_id_users')),
    sa.ForeignKeyConstraint(['guest_id'], ['invitation_guests.id'], name=op.f('fk_consent_records_guest_id_invitation_guests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_consent_records_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_guest_id'), ['guest_id'], unique=False)
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        for column in ('use_website', 'use_social', 'use_press', 'use_annual_report', 'needs_agreement', 'photos_ok'):
            batch_op.add_column(sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Existing answers are kept: what counted before still counts.
    op.execute(sa.text("UPDATE invitations SET photos_ok = photo_consent"))


def downgrade():
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.drop_column('photo_consent')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        for column in ('agreed_at', 'photos_ok', 'needs_agreement', 'use_annual_report', 'use_press', 'use_social', 'use_website'):
            batch_op.drop_column(column)
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_guest_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_invitation_id'))
    op.drop_table('consent_records')
