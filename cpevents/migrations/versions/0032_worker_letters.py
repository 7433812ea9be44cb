"""Letters for young people without email: sent to their workers as a PDF, and the organisers' list of letters to hand over

Revision ID: 0032_worker_letters
Revises: 0031_text_messages
Create Date: 2026-12-03 17:30:00.000000

The outbox keeps a letter's words (with a placeholder for the link) only until the message is
sent; the PDF is made by the worker and never stored.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032_worker_letters'
down_revision = '0031_text_messages'
branch_labels = None
depends_on = None

KINDS = ('invitation', 'reminder', 'feedback', 'nominated', 'decision', 'change_notice')


def upgrade():
    op.create_table('worker_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='letter_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handed_over_by_id', sa.Integer(), nullable=True),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_worker_letters_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handed_over_by_id'], ['users.id'], name=op.f('fk_worker_letters_handed_over_by_id_users')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_worker_letters_worker_id_users')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_people.id'], name=op.f('fk_worker_letters_young_person_id_young_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_letters')),
    sa.UniqueConstraint('public_id', name=op.f('uq_worker_letters_public_id'))
    )
    with op.batch_alter_table('worker_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_letters_young_person_id'), ['young_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_worker_letters_event_id'), ['event_id'], unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('letter_filename', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('letter_filename')
        batch_op.drop_column('letter')
    with op.batch_alter_table('worker_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_letters_event_id'))
        batch_op.drop_index(batch_op.f('ix_worker_letters_young_person_id'))
    op.drop_table('worker_letters')
