"""boards: a campaign's board, its phase columns, cards and card history

Campaign boards (dam_app/boards). `cards.position` is a fractional index key compared byte by byte
(COLLATE "C"), so a move writes one row; `cards.revision` guards concurrent moves.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _uuid_fk(name: str, target: str, ondelete: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Uuid(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("campaign", sa.String(), sa.ForeignKey("campaigns.slug", ondelete="CASCADE"), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("markets", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        _uuid_fk("owner_id", "users.id", "SET NULL"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("campaign"),
    )
    op.create_table(
        "board_columns",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _uuid_fk("board_id", "boards.id", "CASCADE", nullable=False),
        sa.Column("phase", sa.String(length=32), sa.ForeignKey("phases.code"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("soft_limit", sa.Integer(), nullable=True),
        sa.Column("hard_limit", sa.Integer(), nullable=True),
        sa.UniqueConstraint("board_id", "phase", name="uq_board_columns_phase"),
    )
    op.create_index("ix_board_columns_board_id", "board_columns", ["board_id"])
    op.create_table(
        "cards",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _uuid_fk("board_id", "boards.id", "CASCADE", nullable=False),
        sa.Column("phase", sa.String(length=32), sa.ForeignKey("phases.code"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("position", sa.String(length=200, collation="C"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("brief", sa.String(length=10000), nullable=False),
        sa.Column("markets", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("channels", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("formats", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        _uuid_fk("owner_id", "users.id", "SET NULL"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        _uuid_fk("created_by", "users.id", "SET NULL"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        _uuid_fk("updated_by", "users.id", "SET NULL"),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_cards_place", "cards", ["board_id", "phase", "status", "position"])
    op.create_table(
        "card_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _uuid_fk("card_id", "cards.id", "CASCADE", nullable=False),
        _uuid_fk("actor_id", "users.id", "SET NULL"),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_card_events_card_id", "card_events", ["card_id"])


def downgrade() -> None:
    op.drop_table("card_events")
    op.drop_table("cards")
    op.drop_table("board_columns")
    op.drop_table("boards")
