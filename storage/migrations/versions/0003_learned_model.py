"""Learned model: feature counts from moderators' decisions, and the decisions counted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.base import UTCDateTime

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'learned_features',
        sa.Column('feature', sa.String(length=120), nullable=False),
        sa.Column('approved', sa.Integer(), nullable=False),
        sa.Column('rejected', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('feature', name=op.f('pk_learned_features')),
    )
    op.create_table(
        'learned_examples',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('rejected', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_learned_examples')),
    )


def downgrade() -> None:
    op.drop_table('learned_examples')
    op.drop_table('learned_features')
