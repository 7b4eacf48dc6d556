"""image texts: what OCR read from each version, and which stage attached an automatic tag

`image_texts` holds one row per version (text, lines with boxes, facts such as discounts and prices);
`asset_tags.stage` lets a stage replace exactly the tags it attached on a re-run and never a person's.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_texts",
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(), nullable=False, server_default=""),
        sa.Column("text", sa.String(), nullable=False, server_default=""),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("lines", postgresql.JSONB(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("facts", postgresql.JSONB(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False, server_default="0"),
        sa.Column("method", sa.String(length=40), nullable=False, server_default=""),
        sa.Column("seconds", sa.Float(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("status IN ('read','none','skipped')", name="ck_image_texts_status"),
    )
    op.create_index("ix_image_texts_asset_id", "image_texts", ["asset_id"])
    op.add_column("asset_tags", sa.Column("stage", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("asset_tags", "stage")
    op.drop_index("ix_image_texts_asset_id", table_name="image_texts")
    op.drop_table("image_texts")
