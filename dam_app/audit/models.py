"""Append-only audit events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from dam_app.fields import json_field, timestamp_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    # The asset an event of a version names (downloads): the audit trail's asset filter (migration 0020).
    __table_args__ = (Index("ix_audit_events_asset_id", text("(details ->> 'asset_id')")),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=32)
    object_id: str = Field(max_length=64, index=True)
    details: dict[str, Any] = json_field()
