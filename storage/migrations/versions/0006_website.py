"""The website: comments from it (name, address key), its typed captchas and its signing key.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 09:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0006'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_link', ['link'], unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('web_author', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('web_address', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_comments_web_address', ['web_address'], unique=False)
    op.create_table(
        'web_captchas',
        sa.Column('id', ID, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('a', sa.Integer(), nullable=False),
        sa.Column('b', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('expires_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_captchas')),
        sa.UniqueConstraint('token', name=op.f('uq_web_captchas_token')),
    )
    op.create_index('ix_web_captchas_expires_at', 'web_captchas', ['expires_at'], unique=False)
    op.create_table(
        'web_keys',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_web_keys')),
    )


def downgrade() -> None:
    op.drop_table('web_keys')
    op.drop_index('ix_web_captchas_expires_at', table_name='web_captchas')
    op.drop_table('web_captchas')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_web_address')
        batch_op.drop_column('web_address')
        batch_op.drop_column('web_author')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_link')
