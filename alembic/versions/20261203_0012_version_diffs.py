"""version diffs: comparisons of two versions and the pictures they made

A diff is computed once by the worker per pair of versions (and method) and kept: `version_diffs`
holds its state, progress and summary (regions, field, word and video changes); `diff_images` its
heatmap, B aligned onto A and video keyframes, stored in the blob store like renditions.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "version_diffs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version_a", sa.Uuid(), nullable=False),
        sa.Column("version_b", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("step", sa.String(length=60), nullable=False),
        sa.Column("summary", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["version_a"], ["versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_b"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_a", "version_b", "method", name="uq_version_diffs_pair"),
    )
    op.create_index("ix_version_diffs_version_a", "version_diffs", ["version_a"])
    op.create_index("ix_version_diffs_version_b", "version_diffs", ["version_b"])
    op.create_table(
        "diff_images",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("diff_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("blob_sha256", sa.String(), nullable=False),
        sa.Column("mime", sa.String(length=120), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["diff_id"], ["version_diffs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("diff_id", "name", name="uq_diff_images_name"),
    )
    op.create_index("ix_diff_images_diff_id", "diff_images", ["diff_id"])


def downgrade() -> None:
    op.drop_table("diff_images")
    op.drop_table("version_diffs")
