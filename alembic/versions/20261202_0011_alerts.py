"""alerts: channels, preferences, watches, the outbox and deliveries

Alerts through Apprise (dam_app/notify). A change writes its alert into `alert_outbox` in its own
transaction; the worker expands each row into one `alert_deliveries` row per channel and records how
sending went. Channel URLs are stored encrypted (`url_encrypted`), with a masked form for display.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'alert_channels',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_id', sa.Uuid(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('scheme', sa.String(length=32), nullable=False),
        sa.Column('url_encrypted', sa.Text(), nullable=False),
        sa.Column('masked', sa.String(length=80), nullable=False),
        sa.Column('markets', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_alert_channels_owner_id', 'alert_channels', ['owner_id'])
    op.create_table(
        'alert_prefs',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('quiet_start', sa.String(length=5), nullable=True),
        sa.Column('quiet_end', sa.String(length=5), nullable=True),
        sa.Column('digest', sa.String(length=8), nullable=False),
        sa.Column('digest_hour', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'alert_watches',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('target', sa.String(length=500), nullable=False),
        sa.Column('muted', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'target', name='uq_alert_watches_target'),
    )
    op.create_index('ix_alert_watches_kind_target', 'alert_watches', ['kind', 'target'])
    op.create_table(
        'alert_outbox',
        sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('event_type', sa.String(length=32), nullable=False),
        sa.Column('asset_id', sa.Uuid(), nullable=False),
        sa.Column('actor_id', sa.Uuid(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('payload', postgresql.JSONB(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('urgent_markets', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('expanded_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_alert_outbox_pending', 'alert_outbox', ['id'], postgresql_where=sa.text('expanded_at IS NULL')
    )
    op.create_table(
        'alert_deliveries',
        sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('outbox_id', sa.BigInteger(), nullable=False),
        sa.Column('channel_id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=True),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('urgent', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), server_default='', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['outbox_id'], ['alert_outbox.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['channel_id'], ['alert_channels.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('outbox_id', 'channel_id', name='uq_alert_deliveries_once'),
    )
    op.create_index('ix_alert_deliveries_outbox_id', 'alert_deliveries', ['outbox_id'])
    op.create_index('ix_alert_deliveries_channel_id', 'alert_deliveries', ['channel_id'])
    op.create_index('ix_alert_deliveries_user', 'alert_deliveries', ['user_id', 'id'])
    op.create_index(
        'ix_alert_deliveries_due',
        'alert_deliveries',
        ['next_attempt_at'],
        postgresql_where=sa.text("status IN ('pending','held','sending')"),
    )


def downgrade() -> None:
    op.drop_table('alert_deliveries')
    op.drop_table('alert_outbox')
    op.drop_table('alert_watches')
    op.drop_table('alert_prefs')
    op.drop_table('alert_channels')
