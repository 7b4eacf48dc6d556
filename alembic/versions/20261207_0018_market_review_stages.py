"""market review stages: which review stages each market requires before a version may be used
there (China: legal and the market's own sign-off; North America: legal and brand; elsewhere legal)

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REQUIRED = {"CN": ["legal", "market"], "NA": ["legal", "brand"]}


def upgrade() -> None:
    op.add_column(
        "markets",
        sa.Column("review_stages", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{legal}'"), nullable=False),
    )
    op.create_check_constraint(
        "ck_markets_review_stages",
        "markets",
        "review_stages <@ ARRAY['legal','brand','market']::text[] AND cardinality(review_stages) > 0",
    )
    for code, stages in REQUIRED.items():
        op.execute(
            sa.text("UPDATE markets SET review_stages = :stages WHERE code = :code").bindparams(
                sa.bindparam("stages", stages, type_=postgresql.ARRAY(sa.Text())), code=code
            )
        )


def downgrade() -> None:
    op.drop_constraint("ck_markets_review_stages", "markets")
    op.drop_column("markets", "review_stages")
