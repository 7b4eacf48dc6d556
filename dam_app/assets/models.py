"""Asset, Version, Rendition and Rights tables plus the read models the API returns."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import Uuid as SAUuid
from sqlmodel import AutoString, Field, SQLModel

from dam_app.fields import (
    READ_CONFIG,
    counter_field,
    flag_field,
    json_field,
    text_array_field,
    timestamp_field,
)


class AssetStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"
    ARCHIVED = "archived"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"
    OTHER = "other"


class AssetBase(SQLModel):
    """What every representation of an asset carries: identity aside, its state and classification."""

    title: str = Field(max_length=300)
    status: str = Field(default=AssetStatus.PROCESSING, max_length=16, index=True)
    media_kind: str = Field(default=MediaKind.OTHER, max_length=16, index=True)
    markets: list[str] = text_array_field()
    content_type: str | None = Field(default=None, foreign_key="content_types.code", index=True)
    campaign: str | None = Field(default=None, foreign_key="campaigns.slug", index=True)
    phase: str | None = Field(default=None, foreign_key="phases.code", index=True)
    channel: str | None = Field(default=None, foreign_key="channels.code", index=True)
    language: str | None = Field(default=None, max_length=16)
    colours: list[str] = text_array_field()  # named dominant colours of the current version's pixels
    orientation: str | None = Field(default=None, max_length=16)  # landscape / portrait / square


class Asset(AssetBase, table=True):
    """One creative work; its files are its versions."""

    __tablename__ = "assets"
    __table_args__ = (
        Index("ix_assets_markets", "markets", postgresql_using="gin"),
        Index("ix_assets_created_at_id", "created_at", "id"),
        # Current versions never judged (rights/jobs.py sweeps them), migration 0020.
        Index(
            "ix_assets_unjudged",
            "id",
            postgresql_where=text("verdicts = '{}' AND current_version_id IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    description: str = ""
    # Labels kept by triggers (migration 0005) from asset_tags and approvals, so filters and facets
    # read columns, never joins: confident tag names, a person tag, the current version's approvals.
    tag_names: list[str] = text_array_field()
    has_person: bool = flag_field()
    approval_states: list[str] = text_array_field(default=("unreviewed",))
    use_count: int = counter_field()
    # The current version's verdict per market ("NA:usable", "CN:blocked") and the markets where it
    # may be used (usable, or usable with conditions), kept by rights/verdicts.py; search filters on it.
    verdicts: list[str] = text_array_field()
    usable_in: list[str] = text_array_field()
    last_used_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    current_version_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            SAUuid,
            ForeignKey("versions.id", use_alter=True, ondelete="SET NULL", name="fk_assets_current_version_id"),
        ),
    )
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class AssetRead(AssetBase):
    """An asset as lists and search hits show it; the API's asset models derive from this."""

    model_config = READ_CONFIG

    id: uuid.UUID
    created_at: datetime


class Version(SQLModel, table=True):
    """An immutable file revision of an asset (v1.0, v1.1, v2.0)."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("asset_id", "major", "minor", name="uq_versions_number"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    major: int = 1
    minor: int = 0
    blob_sha256: str = Field(foreign_key="blobs.sha256", index=True)
    original_filename: str = Field(max_length=255)
    source_path: str | None = Field(default=None, description="Where an import found the file")
    mime: str = Field(max_length=120)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    video_codec: str | None = Field(default=None, max_length=40)
    audio_codec: str | None = Field(default=None, max_length=40)
    frame_rate: float | None = None
    page_count: int | None = None
    extracted_text: str = Field(default="", description="Copy text read from a document")
    embedded_metadata: dict[str, Any] = json_field()
    change_note: str = ""
    processing_error: str | None = None
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()

    @property
    def label(self) -> str:
        return f"v{self.major}.{self.minor}"

    @property
    def has_pixels(self) -> bool:
        """An image or a video: something to look at (a document's preview is its rendered copy)."""
        return self.mime.startswith(("image/", "video/"))


class Rendition(SQLModel, table=True):
    """A file derived from a version: thumbnail, preview, later watermarks and channel crops."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("version_id", "kind", name="uq_renditions_kind"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    blob_sha256: str = Field(foreign_key="blobs.sha256")
    mime: str = Field(max_length=120)
    width: int
    height: int
    created_at: datetime = timestamp_field()


class RightsTerms(SQLModel):
    """The rights a file can state (IPTC and PLUS), declared once: the table stores them, metadata
    reading fills them, the pipeline copies them, the asset page labels them by their titles. Only
    one table may inherit it (two of the columns are Column objects)."""

    creator: str | None = Field(default=None, title="Creator")
    copyright_notice: str | None = Field(default=None, title="Copyright")
    credit_line: str | None = Field(default=None, title="Credit")
    usage_terms: str | None = Field(default=None, title="Usage terms")
    licence_source: str | None = Field(default=None, title="Licensor")
    licence_id: str | None = Field(default=None, title="Licence ID")
    licence_start: datetime | None = timestamp_field(nullable=True, default_now=False, title="Licence start")
    licence_end: datetime | None = timestamp_field(nullable=True, default_now=False, title="Licence end")
    # The column's length without a validator: a file stating a longer code fails where it always did.
    model_release_status: str | None = Field(
        default=None, sa_type=AutoString(16), description="PLUS MR-*", title="Model release"
    )
    property_release_status: str | None = Field(
        default=None, sa_type=AutoString(16), description="PLUS PR-*", title="Property release"
    )


class RightsRecord(RightsTerms, table=True):
    """Who owns an asset and where and how it may run: IPTC and PLUS fields from the file (one
    "embedded" record per asset) or records people keep, each for a territory and a period, for the
    whole asset or for one version where that version's rights differ (rights/service.py)."""

    __tablename__ = "rights_records"
    __table_args__ = (
        Index("uq_rights_records_embedded", "asset_id", unique=True, postgresql_where=text("source = 'embedded'")),
        CheckConstraint("music IN ('', 'licensed', 'no_music')", name="ck_rights_records_music"),
        CheckConstraint(
            "licence_start IS NULL OR licence_end IS NULL OR licence_start < licence_end",
            name="ck_rights_records_period",
        ),
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, Identity(), primary_key=True))
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    version_id: uuid.UUID | None = Field(default=None, foreign_key="versions.id", ondelete="CASCADE")
    licensed_markets: list[str] = text_array_field()
    usages: list[str] = text_array_field()
    minors: bool = flag_field()
    music: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    music_licence: str | None = None
    note: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    source: str = Field(default="embedded", max_length=16, description="embedded or person")
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    expiry_alerted_for: datetime | None = timestamp_field(nullable=True, default_now=False)
    updated_at: datetime = timestamp_field()
