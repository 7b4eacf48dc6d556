"""comparisons remember who asked for them: a person may have only so many waiting at once, so one
script asking for every pair of a large library cannot fill the worker's queue for everyone

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "version_diffs",
        sa.Column("requested_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index(
        "ix_version_diffs_waiting_by",
        "version_diffs",
        ["requested_by"],
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )


def downgrade() -> None:
    op.drop_index("ix_version_diffs_waiting_by", table_name="version_diffs")
    op.drop_column("version_diffs", "requested_by")
