"""Tag vocabulary and the tags an asset carries, with source and confidence."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import json_field, timestamp_field


class TagKind(StrEnum):
    VISUAL = "visual"
    MARKET = "market"
    BUSINESS = "business"


PERSON_TAG = "person"  # the visual tag that means "people in the picture" (has-person facet, migration 0005)


class TagSource(StrEnum):
    AUTO = "auto"
    PERSON = "person"


class Tag(SQLModel, table=True):
    """A label in the taxonomy; `labels` holds its names per language for a multilingual taxonomy."""

    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("kind", "slug", name="uq_tags_kind_slug"),
        CheckConstraint("kind IN ('visual','market','business')", name="ck_tags_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    slug: str = Field(max_length=80)
    name: str = Field(max_length=120)
    labels: dict[str, str] = json_field()


class AssetTag(SQLModel, table=True):
    __tablename__ = "asset_tags"
    __table_args__ = (
        CheckConstraint("source IN ('auto','person')", name="ck_asset_tags_source"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="ck_asset_tags_confidence"),
    )

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    tag_id: int = Field(primary_key=True, foreign_key="tags.id", index=True, ondelete="CASCADE")
    source: str = Field(default=TagSource.PERSON, max_length=8)
    confidence: float = 1.0
    evidence: str = ""
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
