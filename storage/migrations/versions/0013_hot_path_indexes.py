"""Indexes for the card dispatch, the card budget and the queue view (each walked a whole table).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_comments_status_view_card', 'comments', ['status', 'queue_view_id', 'card_message_id'])
    op.create_index('ix_deliveries_comment_kind', 'deliveries', ['comment_id', 'kind'])
    op.create_index('ix_deliveries_kind_created', 'deliveries', ['kind', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_deliveries_kind_created', table_name='deliveries')
    op.drop_index('ix_deliveries_comment_kind', table_name='deliveries')
    op.drop_index('ix_comments_status_view_card', table_name='comments')
