"""pins placed by hand: a person puts a carried pin where it belongs on a later version (state
"placed", who did it); the pins stage never overwrites such a placement, and carries the pin on from
there to the versions after it

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("ck_comment_placements_state", "comment_placements", type_="check")
    op.create_check_constraint(
        "ck_comment_placements_state", "comment_placements", "state IN ('untouched','changed','unplaced','placed')"
    )
    op.add_column(
        "comment_placements",
        sa.Column("placed_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("comment_placements", "placed_by")
    op.execute("UPDATE comment_placements SET state = 'changed' WHERE state = 'placed'")
    op.drop_constraint("ck_comment_placements_state", "comment_placements", type_="check")
    op.create_check_constraint(
        "ck_comment_placements_state", "comment_placements", "state IN ('untouched','changed','unplaced')"
    )
