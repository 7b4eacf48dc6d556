"""card comments, and alerts about a card (an @mention in a card comment): the outbox row names a
card instead of an asset

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "card_comments",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("card_id", sa.Uuid(), sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("char_length(body) BETWEEN 1 AND 5000", name="ck_card_comments_body"),
    )
    op.create_index("ix_card_comments_card_id", "card_comments", ["card_id"])
    op.alter_column("alert_outbox", "asset_id", existing_type=sa.Uuid(), nullable=True)
    op.add_column(
        "alert_outbox",
        sa.Column("card_id", sa.Uuid(), sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("ix_alert_outbox_card_id", "alert_outbox", ["card_id"])  # a card's delete cascades here
    op.create_check_constraint("ck_alert_outbox_subject", "alert_outbox", "num_nonnulls(asset_id, card_id) = 1")


def downgrade() -> None:
    op.drop_constraint("ck_alert_outbox_subject", "alert_outbox")
    op.drop_index("ix_alert_outbox_card_id", table_name="alert_outbox")
    op.drop_column("alert_outbox", "card_id")
    op.execute("DELETE FROM alert_outbox WHERE asset_id IS NULL")
    op.alter_column("alert_outbox", "asset_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_table("card_comments")
