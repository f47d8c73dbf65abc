"""Seen chats: the chats and users the bot has seen, with their ids (``khabar chats``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'seen_chats',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=True),
        sa.Column('seen_in', sa.BigInteger(), nullable=True),
        sa.Column('last_seen_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_seen_chats')),
    )


def downgrade() -> None:
    op.drop_table('seen_chats')
