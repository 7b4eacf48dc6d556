"""One row per job stage run on a version: queued, running, succeeded or failed, with the error."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import timestamp_field


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRun(SQLModel, table=True):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("version_id", "stage", name="uq_job_runs_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    stage: str = Field(max_length=32)
    status: str = Field(default=JobStatus.QUEUED, max_length=16, index=True)
    attempts: int = 0
    error: str | None = None
    duration_ms: float | None = None
    created_at: datetime = timestamp_field()
    started_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    finished_at: datetime | None = timestamp_field(nullable=True, default_now=False)
