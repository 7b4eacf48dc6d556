"""A comparison of two versions, computed once by the worker and kept (cached) for everyone who opens
the same pair; its pictures (heatmap, B aligned onto A, keyframes) are stored like renditions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from dam_app.fields import counter_field, json_field, timestamp_field

METHOD = "ssim-lab-ecc-2"  # bump when the comparison changes: older cached results are then recomputed


class DiffStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class VersionDiff(SQLModel, table=True):
    __tablename__ = "version_diffs"
    __table_args__ = (
        UniqueConstraint("version_a", "version_b", "method", name="uq_version_diffs_pair"),
        Index(
            "ix_version_diffs_waiting_by",
            "requested_by",
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    version_a: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    version_b: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    method: str = Field(default=METHOD, max_length=32)
    status: str = Field(default=DiffStatus.QUEUED, max_length=16)
    progress: int = counter_field()  # percent, for the progress bar while it runs
    step: str = Field(default="", max_length=60)  # what it is doing now ("aligning")
    summary: dict[str, Any] = json_field()
    error: str | None = None
    attempts: int = counter_field()
    # the person whose request queued it (None: the worker's own, e.g. for a re-approval hint)
    requested_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    finished_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class DiffImage(SQLModel, table=True):
    """A picture the comparison made: "heatmap", "aligned", "keyframe-a-0", "keyframe-b-0", ..."""

    __tablename__ = "diff_images"
    __table_args__ = (UniqueConstraint("diff_id", "name", name="uq_diff_images_name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    diff_id: uuid.UUID = Field(foreign_key="version_diffs.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=32)
    blob_sha256: str = Field(foreign_key="blobs.sha256")
    mime: str = Field(max_length=120)
    width: int
    height: int
