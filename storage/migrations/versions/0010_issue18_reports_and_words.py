"""Readers' reports of published comments and the reviews they open; the word lists moderators
edit at run time, with their version row (issue 18).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'report_reviews',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('opened_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('moderator_id', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_report_reviews_comment_id_comments'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_reviews')),
        sa.UniqueConstraint('comment_id', 'round', name='uq_report_reviews_comment_round'),
    )
    op.create_index('ix_report_reviews_opened', 'report_reviews', ['opened_at'], unique=False)
    op.create_table(
        'comment_reports',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('comment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('reporter_id', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('counted', sa.Boolean(), nullable=False),
        sa.Column('review_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reports_comment_id_comments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['review_id'], ['report_reviews.id'],
                                name=op.f('fk_comment_reports_review_id_report_reviews'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reports')),
        sa.UniqueConstraint('comment_id', 'reporter_id', name='uq_comment_reports_comment_reporter'),
    )
    op.create_index('ix_comment_reports_reporter_created', 'comment_reports', ['reporter_id', 'created_at'],
                    unique=False)
    op.create_table(
        'listed_words',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('entry', sa.String(length=200), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('added_by', sa.BigInteger(), nullable=True),
        sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listed_words')),
        sa.UniqueConstraint('category', 'kind', 'key', name='uq_listed_words_category_kind_key'),
    )
    op.create_table(
        'word_list_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_word_list_version')),
    )


def downgrade() -> None:
    op.drop_table('word_list_version')
    op.drop_table('listed_words')
    op.drop_index('ix_comment_reports_reporter_created', table_name='comment_reports')
    op.drop_table('comment_reports')
    op.drop_index('ix_report_reviews_opened', table_name='report_reviews')
    op.drop_table('report_reviews')
