"""champions, services, pledges and the achievement log

Revision ID: 0008_champions_achievements
Revises: 0007_judging
Create Date: 2026-11-25 08:30:00

"""
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_champions_achievements'
down_revision = '0007_judging'
branch_labels = None
depends_on = None


# The services champions choose from at the start; organisers change the list in the app.
SERVICES = [
    "Children's Services", "Adult Services", "Education", "Highways", "Libraries", "HR", "Finance", "Legal",
    "Public Health", "Elected Member", "Partner agency",
]


def upgrade():
    op.create_table('champion_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_champion_services')),
    sa.UniqueConstraint('name', name=op.f('uq_champion_services_name')),
    sa.UniqueConstraint('public_id', name=op.f('uq_champion_services_public_id'))
    )
    services = sa.table('champion_services', sa.column('public_id', sa.String), sa.column('name', sa.String),
                        sa.column('active', sa.Boolean), sa.column('created_at', sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    op.bulk_insert(services, [{'public_id': str(uuid.uuid4()), 'name': name, 'active': True, 'created_at': now} for name in SERVICES])
    op.create_table('champions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('job_title', sa.String(length=160), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('pledge_words', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('unconfirmed', 'pending', 'approved', 'declined', 'lapsed', name='champion_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=True),
    sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewal_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_champions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['service_id'], ['champion_services.id'], name=op.f('fk_champions_service_id_champion_services')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_champions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_champions')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_champions_confirm_token_hash')),
    sa.UniqueConstraint('public_id', name=op.f('uq_champions_public_id'))
    )
    with op.batch_alter_table('champions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champions_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_champions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_champions_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_champions_user_id'), ['user_id'], unique=False)

    op.create_table('champion_pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('work_experience', 'mentor', 'speak_up', 'help_at_events', 'other', name='pledge_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champions.id'], name=op.f('fk_champion_pledges_champion_id_champions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_champion_pledges')),
    sa.UniqueConstraint('champion_id', 'kind', name='uq_champion_pledges_champion_id_kind'),
    sa.UniqueConstraint('public_id', name=op.f('uq_champion_pledges_public_id'))
    )
    with op.batch_alter_table('champion_pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_pledges_champion_id'), ['champion_id'], unique=False)

    op.create_table('pledge_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['champion_pledges.id'], name=op.f('fk_pledge_actions_pledge_id_champion_pledges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_actions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pledge_actions_public_id'))
    )
    with op.batch_alter_table('pledge_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_actions_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('achievements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('achieved_on', sa.Date(), nullable=False),
    sa.Column('area', sa.Enum('education', 'health', 'independence', 'hobbies', 'relationships', 'helping_others', 'work', name='achievement_area', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('celebrated_with', sa.String(length=200), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_achievements_nomination_id_nominations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_achievements_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_people.id'], name=op.f('fk_achievements_young_person_id_young_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_achievements')),
    sa.UniqueConstraint('public_id', name=op.f('uq_achievements_public_id'))
    )
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.create_index('ix_achievements_achieved_on_area', ['achieved_on', 'area', 'young_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_achievements_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_achievements_young_person_id'), ['young_person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('achievements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_achievements_young_person_id'))
        batch_op.drop_index(batch_op.f('ix_achievements_recorded_by_id'))
        batch_op.drop_index('ix_achievements_achieved_on_area')

    op.drop_table('achievements')
    with op.batch_alter_table('pledge_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_actions_pledge_id'))

    op.drop_table('pledge_actions')
    with op.batch_alter_table('champion_pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_pledges_champion_id'))

    op.drop_table('champion_pledges')
    with op.batch_alter_table('champions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champions_user_id'))
        batch_op.drop_index(batch_op.f('ix_champions_service_id'))
        batch_op.drop_index(batch_op.f('ix_champions_expires_at'))
        batch_op.drop_index(batch_op.f('ix_champions_email'))

    op.drop_table('champions')
    op.drop_table('champion_services')
