"""Pacing slots: Telegram's limits shared by instances on one PostgreSQL database.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pacing_slots',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('next_at', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_pacing_slots')),
    )


def downgrade() -> None:
    op.drop_table('pacing_slots')
