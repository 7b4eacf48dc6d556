"""compliance: versioned rule packs, the findings of each version's check per market, and the
exceptions reviewers accept; the built-in packs go in as version 1

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _finding_key() -> list[sa.Column]:
    return [
        sa.Column("market", sa.String(length=16), nullable=False),
        sa.Column("pack_key", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("matched", sa.String(length=400), nullable=False),
    ]


def _of_version() -> list[sa.Column]:
    return [
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column(
            "version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False, index=True
        ),
    ]


def upgrade() -> None:
    from dam_app.review.rules.builtin import first_versions

    packs = op.create_table(
        "rule_packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=64), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("markets", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("definition", postgresql.JSONB(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("note", sa.String(), nullable=False, server_default=""),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("key", "version", name="uq_rule_packs_key_version"),
    )
    op.bulk_insert(packs, first_versions())
    op.create_table(
        "compliance_checks",
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("packs", postgresql.JSONB(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "compliance_findings",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        *_of_version(),
        *_finding_key(),
        sa.Column("pack_version", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("box", postgresql.JSONB(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "compliance_exceptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_of_version(),
        *_finding_key(),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=False, server_default=""),
        sa.Column("decided_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint(
            "version_id", "market", "pack_key", "rule", "field", "start", "matched", name="uq_compliance_exceptions"
        ),
    )


def downgrade() -> None:
    op.drop_table("compliance_exceptions")
    op.drop_table("compliance_findings")
    op.drop_table("compliance_checks")
    op.drop_table("rule_packs")
