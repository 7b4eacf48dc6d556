"""Restoring a version, and stable links to an asset's newest file (see assets/versions.py)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from dam_app.api.assets import (
    RANGE_RESPONSES,
    Override,
    RangeHeader,
    counts_as_use,
    original_response,
    rendition_response,
)
from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, IngestResultOut, Text, errors
from dam_app.assets import service as assets_service
from dam_app.assets import versions
from dam_app.assets.ingest import Outcome
from dam_app.errors import Conflict
from dam_app.rights import guard

router = APIRouter(tags=["assets"], responses=COMMON_ERRORS)


class RestoreIn(BaseModel):
    note: Text = Field(default="", max_length=2000, description='Added to the change note after "Restored from v1.0"')
    major: bool = Field(default=False, description="Number the restored copy v2.0 instead of v1.x")
    urgent: bool = Field(default=False, description="Alert people now, even in their quiet hours")


@router.post("/assets/{asset_id}/versions/{version_id}/restore", status_code=201, responses=errors(400, 403, 404, 409))
def restore_version(
    asset_id: uuid.UUID,
    version_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    body: RestoreIn | None = None,
) -> IngestResultOut:
    """Make an earlier version current again as a new version (history is kept); 409 when the current
    version already has the same bytes."""
    body = body or RestoreIn()
    result = versions.restore_version(
        session=session,
        principal=principal,
        asset_id=asset_id,
        version_id=version_id,
        note=body.note,
        major=body.major,
        urgent=body.urgent,
    )
    if result.outcome == Outcome.DUPLICATE:
        raise Conflict(result.message)
    return IngestResultOut.of(result)


@router.post("/versions/{version_id}/played", status_code=204, responses=errors(404))
def note_played(version_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> None:
    """Tell the DAM you watched this version's video (a player of your own; the asset page does it
    when you press play): when a newer version lands you hear of it, as after a download."""
    assets_service.note_played(session=session, principal=principal, version_id=version_id)


@router.get("/assets/{asset_id}/latest", response_class=FileResponse, responses={**errors(403, 404), **RANGE_RESPONSES})
def download_latest(
    asset_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    range_: RangeHeader = None,
    override: Override = None,
) -> FileResponse:
    """The newest version's original, whatever its label: a link that never goes stale. 403 with
    the reasons when it is blocked in every market you work in (an admin may override)."""
    latest = versions.latest_version(session=session, principal=principal, asset_id=asset_id)
    guard.guard_download(
        session=session, principal=principal, version_id=latest.id, override=override, audit=counts_as_use(range_)
    )
    handle = versions.latest_file(
        session=session, principal=principal, asset_id=asset_id, count_use=counts_as_use(range_)
    )
    return original_response(handle)


@router.get("/assets/{asset_id}/latest/thumbnail", response_class=FileResponse, responses=errors(404))
def latest_thumbnail(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> FileResponse:
    """The newest version's thumbnail; 404 saying so while it is still being rendered."""
    return rendition_response(
        versions.latest_rendition(session=session, principal=principal, asset_id=asset_id, kind="thumbnail")
    )


@router.get("/assets/{asset_id}/latest/preview", response_class=FileResponse, responses=errors(404))
def latest_preview(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> FileResponse:
    """The newest version's preview; 404 saying so while it is still being rendered."""
    return rendition_response(
        versions.latest_rendition(session=session, principal=principal, asset_id=asset_id, kind="preview")
    )
