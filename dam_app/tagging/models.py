"""Tag vocabulary and the tags an asset carries, with source and confidence."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import READ_CONFIG, json_field, json_list_field, text_array_field, timestamp_field


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
    stage: str | None = Field(default=None, max_length=32, description="The stage that attached an automatic tag")
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()


class TextStatus(StrEnum):
    READ = "read"  # text was found and read
    NONE = "none"  # looked, and there is no text
    SKIPPED = "skipped"  # could not look (no pixels, no language model): `reason` says why


class ImageText(SQLModel, table=True):
    """The text read from one version's pixels, line by line with boxes, and the facts in it.

    Boxes are fractions of the picture ([x, y, width, height] in 0..1), so they overlay any rendition.
    """

    __tablename__ = "image_texts"
    __table_args__ = (CheckConstraint("status IN ('read','none','skipped')", name="ck_image_texts_status"),)

    version_id: uuid.UUID = Field(primary_key=True, foreign_key="versions.id", ondelete="CASCADE")
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=8)
    reason: str = ""
    text: str = ""
    language: str | None = Field(default=None, max_length=8, description="ISO 639-1 of the text read")
    languages: list[str] = text_array_field()  # the OCR models it was read with
    lines: list[dict[str, Any]] = json_list_field()
    facts: list[dict[str, Any]] = json_list_field()
    confidence: float = 0.0
    method: str = Field(default="", max_length=40)
    seconds: float = 0.0
    created_at: datetime = timestamp_field()


class TextLine(SQLModel):
    text: str
    box: list[float] = Field(description="x, y, width, height as fractions of the picture (0..1)")
    confidence: float


class TextFact(SQLModel):
    kind: str = Field(description="discount | price | date | hashtag")
    text: str = Field(description="As written in the picture")
    value: dict[str, Any] = Field(description='What it means: {"percent_off": 40}, {"currency": "JPY", ...}')


class ImageTextRead(SQLModel):
    """What OCR read from one version of an asset."""

    model_config = READ_CONFIG

    version_id: uuid.UUID
    status: str = Field(description="read | none (no text in the picture) | skipped (could not look)")
    reason: str = Field(description="Why nothing was read, or which languages had no model")
    text: str
    language: str | None
    languages: list[str] = Field(description="The OCR models it was read with")
    lines: list[TextLine]
    facts: list[TextFact]
    confidence: float
    method: str
    created_at: datetime
