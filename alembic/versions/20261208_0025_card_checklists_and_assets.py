"""cards get a checklist (each step with its accountable person and due time) and attached assets
(marked `reused` when the asset predates the card), for coverage and the campaign's reuse share

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user(name: str) -> sa.Column:
    return sa.Column(name, sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "card_checklist_items",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("card_id", sa.Uuid(), sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        _user("accountable_id"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        _user("done_by"),
    )
    op.create_index("ix_card_checklist_items_card_id", "card_checklist_items", ["card_id"])
    op.create_table(
        "card_assets",
        sa.Column("card_id", sa.Uuid(), sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("reused", sa.Boolean(), server_default=sa.false(), nullable=False),
        _user("attached_by"),
        sa.Column("attached_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_card_assets_asset_id", "card_assets", ["asset_id"])


def downgrade() -> None:
    op.drop_table("card_assets")
    op.drop_table("card_checklist_items")
