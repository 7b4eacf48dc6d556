"""WIP limits per status across a board's phases (the status view's columns)

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_status_limits",
        sa.Column("board_id", sa.Uuid(), sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("status", sa.String(length=16), primary_key=True),
        sa.Column("soft_limit", sa.Integer(), nullable=True),
        sa.Column("hard_limit", sa.Integer(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("board_status_limits")
