"""Indexes for an author's recent comments and the article view's order (each walked an article's comments).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_comments_author_status_article', 'comments', ['author_id', 'status', 'article_id'])
    op.create_index('ix_comments_article_view', 'comments',
                    ['article_id', 'status', sa.text('coalesce(decided_at, created_at)'), 'id'])
    op.drop_index('ix_comments_article_status', table_name='comments')


def downgrade() -> None:
    op.create_index('ix_comments_article_status', 'comments', ['article_id', 'status'])
    op.drop_index('ix_comments_article_view', table_name='comments')
    op.drop_index('ix_comments_author_status_article', table_name='comments')
