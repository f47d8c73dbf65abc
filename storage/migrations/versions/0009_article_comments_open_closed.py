"""Articles: comments closed or reopened by a moderator (issue 18).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0009'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments_override', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('comments_override_at', storage.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('comments_override_at')
        batch_op.drop_column('comments_override')
