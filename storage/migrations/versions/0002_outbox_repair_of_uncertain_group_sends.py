"""Outbox: remember what is needed to find and remove duplicates of uncertain group sends.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 08:06:45.977706
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_message_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('uncertain', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_deliveries_chat_message', ['chat_key', 'message_id'], unique=False)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_discussion', ['discussion_chat_id', 'discussion_message_id'], unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_origin', ['origin_chat_id', 'origin_message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_origin')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_discussion')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_chat_message')
        batch_op.drop_column('uncertain')
        batch_op.drop_column('after_message_id')
