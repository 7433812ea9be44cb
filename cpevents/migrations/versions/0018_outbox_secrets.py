"""personal links in email are sealed, not stored in the bodies; links already in sent messages are removed

Revision ID: 0018_outbox_secrets
Revises: 0017_vetting_worker_links
Create Date: 2026-12-03 10:00:00

New columns: `has_personal_links` (the message carried at least one personal link) and
`sealed_links` (the links, encrypted, until the message is sent). A migration has no key to seal
with, so for rows already written:

- messages no longer waiting (sent, failed, cancelled) have every personal link in their bodies
  replaced by "[personal link removed]" and are marked as having carried one, so they cannot be
  retried with a broken link;
- messages still waiting are left alone, so the worker sends their links; it removes them from the
  stored bodies once sent, and the Email page hides them meanwhile.

The paths are those of every route with a `<token>` on the day of this migration (a migration must
not change when the app does). Removed links cannot be put back: downgrade only drops the columns.
"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_outbox_secrets'
down_revision = '0017_vetting_worker_links'
branch_labels = None
depends_on = None

LINK_REMOVED = '[personal link removed]'
TOKEN_PATHS = ('/registrations/cancel/', '/champions/confirm/', '/reset-password/', '/set-password/', '/verify-email/', '/i/', '/f/')
PERSONAL_LINK = re.compile(r"https?://[^\s\"'<>]*?(?:" + '|'.join(re.escape(p) for p in TOKEN_PATHS) + r")[^\s\"'<>]+")


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_personal_links', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('sealed_links', sa.Text(), nullable=True))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('has_personal_links', server_default=None, existing_type=sa.Boolean(), existing_nullable=False)

    remove_links_from_sent_messages(op.get_bind())


def remove_links_from_sent_messages(connection) -> int:
    """Replace personal links in the bodies of messages that are no longer waiting to be sent.
    Returns how many messages changed."""
    messages = sa.table(
        'outbox_messages',
        sa.column('id', sa.Integer()), sa.column('status', sa.String()), sa.column('text_body', sa.Text()),
        sa.column('html_body', sa.Text()), sa.column('has_personal_links', sa.Boolean()),
    )
    maybe = sa.or_(*(body.like(f'%{path}%') for path in TOKEN_PATHS for body in (messages.c.text_body, messages.c.html_body)))
    ids = connection.execute(
        sa.select(messages.c.id).where(messages.c.status.not_in(('queued', 'sending')), maybe).order_by(messages.c.id)
    ).scalars().all()
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = connection.execute(sa.select(messages.c.id, messages.c.text_body, messages.c.html_body).where(messages.c.id.in_(chunk))).all()
        for message_id, text_body, html_body in rows:
            new_text, new_html = PERSONAL_LINK.sub(LINK_REMOVED, text_body), PERSONAL_LINK.sub(LINK_REMOVED, html_body)
            if (new_text, new_html) != (text_body, html_body):
                connection.execute(
                    messages.update().where(messages.c.id == message_id).values(text_body=new_text, html_body=new_html, has_personal_links=True)
                )
                changed += 1
    return changed


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('sealed_links')
        batch_op.drop_column('has_personal_links')
