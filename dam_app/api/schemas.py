"""What the API returns (read models built from domain objects), and the text type its inputs use."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel
from sqlmodel import SQLModel

from dam_app.assets.ingest import IngestResult
from dam_app.assets.models import AssetRead, Rendition, RightsRecord, Version
from dam_app.assets.service import AssetCard, AssetDetail
from dam_app.fields import READ_CONFIG, storable

# Every string the API takes from a caller: refused with a 422 before it can reach the database.
Text = Annotated[str, AfterValidator(storable)]


class ErrorOut(BaseModel):
    """Every JSON error body: a sentence, or FastAPI's list of field errors for a malformed request."""

    detail: str | list[dict[str, Any]]


_ERROR_MEANINGS = {
    400: "Malformed request: an invalid page cursor, or a body that cannot be parsed",
    401: "Not signed in",
    403: "Not allowed for this role or outside the caller's markets",
    404: "No such asset for this caller (also when it exists outside the caller's markets)",
    409: "Conflicts with what is stored",
    413: "Upload too large",
    422: "Invalid input",
    429: "Too many failed sign-ins: wait Retry-After seconds (or until the lockout lifts)",
    503: "Overloaded or the database is unavailable; retry after Retry-After seconds",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each with the ErrorOut body."""
    return {code: {"model": ErrorOut, "description": _ERROR_MEANINGS[code]} for code in codes}


# What any route behind PrincipalDep may answer; declaring 422 also replaces FastAPI's own 422 schema,
# which allows only the list form of `detail` while domain refusals send a sentence.
COMMON_ERRORS = errors(401, 422, 503)


class RenditionOut(SQLModel):
    model_config = READ_CONFIG

    id: uuid.UUID
    kind: str
    mime: str
    width: int
    height: int
    url: str

    @classmethod
    def of(cls, r: Rendition) -> RenditionOut:
        return cls.model_validate(r, update={"url": f"/api/v1/renditions/{r.id}"})


class VersionOut(SQLModel):
    model_config = READ_CONFIG

    id: uuid.UUID
    label: str
    original_filename: str
    mime: str
    size: int
    width: int | None
    height: int | None
    duration_s: float | None
    video_codec: str | None
    audio_codec: str | None
    change_note: str
    processing_error: str | None
    created_at: datetime
    download_url: str

    @classmethod
    def of(cls, v: Version) -> VersionOut:
        return cls.model_validate(v, update={"download_url": f"/api/v1/versions/{v.id}/file"})


class AssetSummaryOut(AssetRead):
    version: str | None
    thumbnail_url: str | None

    @classmethod
    def of(cls, card: AssetCard) -> AssetSummaryOut:
        thumbnail = f"/api/v1/renditions/{card.thumbnail_id}" if card.thumbnail_id else None
        return cls.model_validate(card.asset, update={"version": card.version_label, "thumbnail_url": thumbnail})


class AssetPageOut(BaseModel):
    items: list[AssetSummaryOut]
    total: int
    next_cursor: str | None


class StageOut(SQLModel):
    model_config = READ_CONFIG

    stage: str
    status: str
    attempts: int
    error: str | None
    duration_ms: float | None


class TagOut(SQLModel):
    model_config = READ_CONFIG

    kind: str
    name: str
    source: str
    confidence: float


class AssetDetailOut(AssetRead):
    description: str
    updated_at: datetime
    current_version: VersionOut | None
    versions: list[VersionOut]
    renditions: list[RenditionOut]
    rights: list[dict[str, Any]]
    tags: list[TagOut]
    processing: list[StageOut]
    embedded_metadata: dict[str, Any]

    @classmethod
    def of(cls, d: AssetDetail) -> AssetDetailOut:
        return cls.model_validate(
            d.asset,
            update={
                "current_version": VersionOut.of(d.current) if d.current else None,
                "versions": [VersionOut.of(v) for v in d.versions],
                "renditions": [RenditionOut.of(r) for r in d.renditions.values()],
                "rights": [_rights(r) for r in d.rights],
                "tags": [TagOut.model_validate(t) for t in d.tags],
                "processing": [StageOut.model_validate(s) for s in d.stages],
                "embedded_metadata": d.current.embedded_metadata if d.current else {},
            },
        )


class IngestResultOut(BaseModel):
    filename: str
    outcome: str
    message: str
    reason: str | None
    asset_id: str | None
    version_id: str | None
    version: str | None

    @classmethod
    def of(cls, r: IngestResult) -> IngestResultOut:
        return cls(
            filename=r.filename,
            outcome=r.outcome,
            message=r.message,
            reason=r.reason,
            asset_id=str(r.asset_id) if r.asset_id else None,
            version_id=str(r.version_id) if r.version_id else None,
            version=r.version_label,
        )


def _rights(r: RightsRecord) -> dict[str, Any]:
    return r.model_dump(exclude={"asset_id", "expiry_alerted_for", "created_by"})
