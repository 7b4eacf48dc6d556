"""Alert tables: where a person (or a team) is told, what they watch, when they want to hear, the
outbox written with the change, and one delivery row per alert and channel."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import flag_field, json_field, text_array_field, timestamp_field


class WatchKind(StrEnum):
    ASSET = "asset"  # target: the asset's id
    CAMPAIGN = "campaign"  # target: the campaign's slug
    MARKET = "market"  # target: a market code
    SEARCH = "search"  # target: a saved search, in the words one types into search


class DigestMode(StrEnum):
    OFF = "off"  # each alert as it happens (quiet hours still hold them)
    HOURLY = "hourly"
    DAILY = "daily"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # to send now, or at next_attempt_at after a failed try
    HELD = "held"  # quiet hours or digest mode: sent with others at next_attempt_at
    SENDING = "sending"  # claimed by a drain; due again at next_attempt_at should its worker die
    DELIVERED = "delivered"
    FAILED = "failed"  # every try used


class AlertChannel(SQLModel, table=True):
    """An Apprise URL: a person's own (owner_id) or a team's (no owner; `markets` says which assets)."""

    __tablename__ = "alert_channels"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    scheme: str = Field(max_length=32)
    url_encrypted: str = Field(sa_column=Column(Text, nullable=False))  # Fernet token (notify/secrets.py)
    masked: str = Field(max_length=80)  # what is ever shown back: "slack://T0…/…xyz"
    markets: list[str] = text_array_field()  # team channels: assets of these markets; empty: every asset
    created_at: datetime = timestamp_field()


class AlertPrefs(SQLModel, table=True):
    """When a person wants to hear: quiet hours in their time zone, and digest mode."""

    __tablename__ = "alert_prefs"

    user_id: uuid.UUID = Field(primary_key=True, foreign_key="users.id", ondelete="CASCADE")
    time_zone: str = Field(default="UTC", max_length=64)
    quiet_start: str | None = Field(default=None, max_length=5)  # "22:00" local; None: no quiet hours
    quiet_end: str | None = Field(default=None, max_length=5)  # "07:30" local
    digest: str = Field(default=DigestMode.OFF, max_length=8)
    digest_hour: int = Field(default=9, ge=0, le=23)  # daily digests go out at this local hour
    updated_at: datetime = timestamp_field()


class Watch(SQLModel, table=True):
    """A person follows an asset, a campaign, a market or a saved search; `muted` on an asset stops
    its alerts, also the automatic ones (own upload, a downloaded older version)."""

    __tablename__ = "alert_watches"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "target", name="uq_alert_watches_target"),
        Index("ix_alert_watches_kind_target", "kind", "target"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    target: str = Field(max_length=500)
    muted: bool = flag_field()
    created_at: datetime = timestamp_field()


EVERYONE = "*"  # in AlertOutbox.urgent_markets: the alert passes everyone's quiet hours (its author said urgent)


class AlertOutbox(SQLModel, table=True):
    """An alert to fan out, inserted in the same transaction as the change it announces: it exists
    exactly when the change committed, whatever happens to Redis afterwards."""

    __tablename__ = "alert_outbox"
    __table_args__ = (
        Index("ix_alert_outbox_pending", "id", postgresql_where="expanded_at IS NULL"),
        CheckConstraint("num_nonnulls(asset_id, card_id) = 1", name="ck_alert_outbox_subject"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    event_type: str = Field(max_length=32)
    asset_id: uuid.UUID | None = Field(default=None, foreign_key="assets.id", ondelete="CASCADE")
    card_id: uuid.UUID | None = Field(default=None, foreign_key="cards.id", index=True, ondelete="CASCADE")  # or a card
    actor_id: uuid.UUID | None = None  # who made the change: not told about it
    title: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    payload: dict[str, Any] = json_field()  # the event as published (events.to_payload)
    urgent_markets: list[str] = text_array_field()  # in these markets the alert passes quiet hours (EVERYONE: all)
    created_at: datetime = timestamp_field()
    expanded_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class AlertDelivery(SQLModel, table=True):
    """One alert to one channel, and how sending it went (what the person and admins see)."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("outbox_id", "channel_id", name="uq_alert_deliveries_once"),
        Index("ix_alert_deliveries_due", "next_attempt_at", postgresql_where="status IN ('pending','held','sending')"),
        Index("ix_alert_deliveries_user", "user_id", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    outbox_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("alert_outbox.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    channel_id: uuid.UUID = Field(foreign_key="alert_channels.id", index=True, ondelete="CASCADE")
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")  # None: team
    reason: str = Field(default="", max_length=32)  # why they hear of it: watch, upload, download, team
    urgent: bool = flag_field()
    status: str = Field(default=DeliveryStatus.PENDING, max_length=16)
    attempts: int = 0
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    next_attempt_at: datetime = timestamp_field()
    delivered_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    created_at: datetime = timestamp_field()


class ChannelRead(SQLModel):
    """A channel as anyone sees it again: never the URL itself."""

    id: uuid.UUID
    name: str
    scheme: str
    masked: str
    markets: list[str]
    team: bool
    created_at: datetime


class DeliveryRead(SQLModel):
    """A delivery for the person's list and the admins' view."""

    id: int
    title: str
    channel: str  # the channel's name and masked URL
    user: str  # the recipient's e-mail, or "team"
    reason: str
    urgent: bool
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
