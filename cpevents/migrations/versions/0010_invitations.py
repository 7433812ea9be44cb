"""invitations, replies, guests and the waiting list

Revision ID: 0010_invitations
Revises: 0009_data_versions
Create Date: 2026-11-25 08:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_invitations'
down_revision = '0009_data_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('guest_allowance', sa.Integer(), nullable=False),
    sa.Column('reply_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ask_dietary', sa.Boolean(), nullable=False),
    sa.Column('ask_access', sa.Boolean(), nullable=False),
    sa.Column('ask_travel', sa.Boolean(), nullable=False),
    sa.Column('ask_photos', sa.Boolean(), nullable=False),
    sa.Column('ask_name_read', sa.Boolean(), nullable=False),
    sa.Column('offer_hours', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitation_settings_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_invitation_settings_event_id'))
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_replied', 'coming', 'not_coming', 'not_sure', 'waiting', 'offered', name='invitation_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('guest_allowance', sa.Integer(), nullable=True),
    sa.Column('door_code', sa.String(length=36), nullable=False),
    sa.Column('check_identity', sa.Boolean(), nullable=False),
    sa.Column('identity_failures', sa.Integer(), nullable=False),
    sa.Column('dietary', sa.String(length=200), nullable=False),
    sa.Column('dietary_other', sa.String(length=300), nullable=False),
    sa.Column('access', sa.String(length=200), nullable=False),
    sa.Column('access_other', sa.String(length=300), nullable=False),
    sa.Column('travel_help', sa.Boolean(), nullable=False),
    sa.Column('travel_details', sa.String(length=300), nullable=False),
    sa.Column('photo_consent', sa.Boolean(), nullable=False),
    sa.Column('name_read', sa.Enum('first_name', 'full_name', 'no_name', name='name_read', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_how', sa.Enum('link', 'worker', 'organiser', name='reply_how', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('letter_needed', sa.Boolean(), nullable=False),
    sa.Column('reminded_7_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_2_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_invitations_added_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitations_event_id_events')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_invitations_replied_by_id_users')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_people.id'], name=op.f('fk_invitations_young_person_id_young_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('door_code', name=op.f('uq_invitations_door_code')),
    sa.UniqueConstraint('event_id', 'young_person_id', name='uq_invitations_event_id_young_person_id'),
    sa.UniqueConstraint('public_id', name=op.f('uq_invitations_public_id'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('invitation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_invitation_links_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_links_token_hash'))
    )
    with op.batch_alter_table('invitation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_links_invitation_id'), ['invitation_id'], unique=False)

    op.create_table('invitation_guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('age_group', sa.Enum('adult', 'child', name='guest_age_group', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('approval', sa.Enum('confirmed', 'to_approve', 'cannot_come', name='guest_approval', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_invitation_guests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_invitation_guests_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_guests')),
    sa.UniqueConstraint('public_id', name=op.f('uq_invitation_guests_public_id'))
    )
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_guests_invitation_id'), ['invitation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invitation_guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_guests_invitation_id'))
    op.drop_table('invitation_guests')
    with op.batch_alter_table('invitation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_links_invitation_id'))
    op.drop_table('invitation_links')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_young_person_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_event_id'))
    op.drop_table('invitations')
    op.drop_table('invitation_settings')
