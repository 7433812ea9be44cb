"""vetting: accounts wait for approval, trusted email domains; worker links made only by
organisers, with an end date (12 months), renewal and ending kept

Existing accounts are approved (they were all trusted before). Existing worker links made by an
organiser (an audit entry "worker_linked" names the worker) run for 12 months from when they
were made; links made as a side effect of a nomination (no such entry) are ended now.

Revision ID: 0017_vetting_worker_links
Revises: 0016_registrations
Create Date: 2026-12-02 14:02:19.719936

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_vetting_worker_links'
down_revision = '0016_registrations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('approved_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('description', sa.String(length=120), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_approved_domains_added_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approved_domains')),
    sa.UniqueConstraint('domain', name=op.f('uq_approved_domains_domain')),
    sa.UniqueConstraint('public_id', name=op.f('uq_approved_domains_public_id'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_via_domain', sa.String(length=253), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_users_approved_by_id_users'), 'users', ['approved_by_id'], ['id'])

    with op.batch_alter_table('young_person_workers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('linked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_young_person_workers_ended_by_id_users'), 'users', ['ended_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_young_person_workers_linked_by_id_users'), 'users', ['linked_by_id'], ['id'])

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    def stamp(value):  # SQLite keeps datetimes as SQLAlchemy's naive UTC text
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    now = stamp(datetime.now(UTC))
    bind.execute(sa.text("UPDATE users SET approved_at = created_at WHERE approved_at IS NULL"))
    links = bind.execute(sa.text("SELECT id, linked_at FROM young_person_workers")).all()
    for link_id, linked_at in links:
        if isinstance(linked_at, str):  # SQLite hands back text
            linked_at = datetime.fromisoformat(linked_at)
        if linked_at.tzinfo is None:
            linked_at = linked_at.replace(tzinfo=UTC)
        bind.execute(sa.text("UPDATE young_person_workers SET expires_at = :at WHERE id = :id"), {"at": stamp(linked_at + timedelta(days=365)), "id": link_id})
    bind.execute(
        sa.text(
            "UPDATE young_person_workers SET ended_at = :now WHERE NOT EXISTS ("
            " SELECT 1 FROM audit_entries a WHERE a.young_person_id = young_person_workers.young_person_id"
            " AND a.action = 'worker_linked' AND a.detail = 'user ' || young_person_workers.user_id)"
        ),
        {"now": now},
    )
    with op.batch_alter_table('young_person_workers', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('approved_via_domain', existing_type=sa.String(length=253), server_default=None)


def downgrade():
    with op.batch_alter_table('young_person_workers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_young_person_workers_linked_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_young_person_workers_ended_by_id_users'), type_='foreignkey')
        batch_op.drop_column('ended_by_id')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('renewed_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('linked_by_id')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('approved_via_domain')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('approved_at')

    op.drop_table('approved_domains')
