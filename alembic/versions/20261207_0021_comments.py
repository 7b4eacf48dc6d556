"""comments: threads pinned to a spot, a time or a phrase of a version, their edit history, mentions
(the inbox), and where each open pin stands on later versions; `comment.internal` for the team's
roles and an "external" reviewer role without it

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_ROLES = ("admin", "editor", "reviewer")


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True)


def _comment_id() -> sa.Column:
    return sa.Column("comment_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False)


def _user(name: str, ondelete: str = "SET NULL", nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Uuid(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable)


def _moment(name: str, now: bool = False) -> sa.Column:
    default = {"server_default": sa.text("now()")} if now else {}
    return sa.Column(name, sa.DateTime(timezone=True), nullable=not now, **default)


def upgrade() -> None:
    op.create_table(
        "comments",
        _id(),
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parent_id", sa.BigInteger(), sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True),
        _user("author_id"),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("anchor", postgresql.JSONB(), nullable=True),
        sa.Column("resolved", sa.Boolean(), server_default=sa.false(), nullable=False),
        _user("resolved_by"),
        _moment("resolved_at"),
        _moment("created_at", now=True),
        _moment("edited_at"),
        sa.CheckConstraint("char_length(body) BETWEEN 1 AND 5000", name="ck_comments_body"),
    )
    op.create_index("ix_comments_asset_thread", "comments", ["asset_id", "parent_id", "id"])
    op.create_index("ix_comments_version_id", "comments", ["version_id"])
    op.create_index("ix_comments_parent_id", "comments", ["parent_id"])
    op.create_table(
        "comment_edits",
        _id(),
        _comment_id(),
        sa.Column("body", sa.Text(), nullable=False),
        _user("edited_by"),
        _moment("edited_at", now=True),
    )
    op.create_index("ix_comment_edits_comment_id", "comment_edits", ["comment_id"])
    op.create_table(
        "comment_mentions",
        _id(),
        _comment_id(),
        _user("user_id", ondelete="CASCADE", nullable=False),
        _moment("seen_at"),
        sa.UniqueConstraint("comment_id", "user_id", name="uq_comment_mentions"),
    )
    op.create_index("ix_comment_mentions_inbox", "comment_mentions", ["user_id", "seen_at"])
    op.create_table(
        "comment_placements",
        _id(),
        _comment_id(),
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("anchor", postgresql.JSONB(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        _moment("placed_at", now=True),
        sa.UniqueConstraint("comment_id", "version_id", name="uq_comment_placements"),
        sa.CheckConstraint("state IN ('untouched','changed','unplaced')", name="ck_comment_placements_state"),
    )
    op.create_index("ix_comment_placements_version_id", "comment_placements", ["version_id"])
    op.execute(
        "UPDATE roles SET permissions = array_append(permissions, 'comment.internal') "
        f"WHERE code IN {TEAM_ROLES} AND NOT 'comment.internal' = ANY(permissions)"
    )
    op.execute(
        "INSERT INTO roles (code, name, permissions) VALUES ('external', 'External reviewer', '{asset.read}') "
        "ON CONFLICT (code) DO NOTHING"
    )


def downgrade() -> None:
    op.execute("UPDATE users SET role = 'viewer' WHERE role = 'external'")
    op.execute("DELETE FROM roles WHERE code = 'external'")
    op.execute("UPDATE roles SET permissions = array_remove(permissions, 'comment.internal')")
    op.drop_table("comment_placements")
    op.drop_table("comment_mentions")
    op.drop_table("comment_edits")
    op.drop_table("comments")
