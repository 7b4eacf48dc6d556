"""login throttles and the last time a browser session was seen

Failed sign-ins are counted per account and per client address (`login_throttles`), so a
brute-force run meets growing delays and then a lockout. Browser sessions get `last_seen_at`, written
in batches by the web process (accounts/last_use.py) like an API token's `last_used_at`.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('auth_sessions', sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_started_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('login_throttles')
    op.drop_column('auth_sessions', 'last_seen_at')
