"""secrets out of the session cookie: replies in progress (reply_drafts) and the authenticator key
being set up and new recovery codes (pending_secrets) are kept on the server; a registration may
have several cancel links (registration_cancel_links), so sending one never kills another

Revision ID: 0019_sessions_drafts
Revises: 0018_outbox_secrets
Create Date: 2026-12-02 14:13:53

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_sessions_drafts'
down_revision = '0018_outbox_secrets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_secrets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handle_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('authenticator_setup', 'recovery_codes', name='secret_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_secrets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_secrets')),
    sa.UniqueConstraint('handle_hash', name=op.f('uq_pending_secrets_handle_hash'))
    )
    with op.batch_alter_table('pending_secrets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_secrets_user_id'), ['user_id'], unique=False)

    op.create_table('reply_drafts',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_reply_drafts_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_drafts'))
    )
    with op.batch_alter_table('reply_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_drafts_invitation_id'), ['invitation_id'], unique=False)

    # Every cancel link already emailed keeps working: its hash moves to the new table. The hashes
    # wait in a plain table first: on SQLite, dropping the column rebuilds `registrations` (DROP
    # TABLE, with foreign keys on), which would delete rows already pointing at it by CASCADE.
    op.execute(
        "CREATE TABLE _registration_cancel_hashes AS "
        "SELECT id AS registration_id, cancel_token_hash AS token_hash, created_at FROM registrations WHERE cancel_token_hash IS NOT NULL"
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registrations_cancel_token_hash'), type_='unique')
        batch_op.drop_column('cancel_token_hash')

    op.create_table('registration_cancel_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registration_cancel_links_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_cancel_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_registration_cancel_links_token_hash'))
    )
    with op.batch_alter_table('registration_cancel_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_cancel_links_registration_id'), ['registration_id'], unique=False)

    op.execute(
        "INSERT INTO registration_cancel_links (registration_id, token_hash, created_at) "
        "SELECT registration_id, token_hash, created_at FROM _registration_cancel_hashes"
    )
    op.drop_table('_registration_cancel_hashes')


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_token_hash', sa.String(length=64), nullable=True))
    # Only one link per registration can go back: the newest (the others stop working).
    op.execute(
        "UPDATE registrations SET cancel_token_hash = (SELECT l.token_hash FROM registration_cancel_links l "
        "WHERE l.registration_id = registrations.id ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_cancel_token_hash'), ['cancel_token_hash'])

    with op.batch_alter_table('registration_cancel_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_cancel_links_registration_id'))

    op.drop_table('registration_cancel_links')
    with op.batch_alter_table('reply_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_drafts_invitation_id'))

    op.drop_table('reply_drafts')
    with op.batch_alter_table('pending_secrets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_secrets_user_id'))

    op.drop_table('pending_secrets')
