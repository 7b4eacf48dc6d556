"""Assets: list with filters and pagination, detail, upload, versions, files and renditions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse
from sqlmodel import Session

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.filters import FilterDep
from dam_app.api.schemas import (
    COMMON_ERRORS,
    AssetDetailOut,
    AssetPageOut,
    AssetSummaryOut,
    IngestResultOut,
    Text,
    VersionOut,
    errors,
)
from dam_app.assets import service as assets_service
from dam_app.assets import versions
from dam_app.assets.classify import Classification
from dam_app.assets.ingest import IngestFields, IngestResult, Outcome, add_version, ingest_file
from dam_app.assets.models import Rendition
from dam_app.catalog import service as catalog_service
from dam_app.db import session_scope
from dam_app.rights import guard
from dam_app.storage.spool import UploadTooLarge, spooled

router = APIRouter(tags=["assets"], responses=COMMON_ERRORS)
PRIVATE = {"Cache-Control": "private, no-store"}
MAX_FILES_PER_REQUEST = 100
RangeHeader = Annotated[str | None, Header(alias="range")]
# Starlette answers a Range header it cannot parse or serve in plain text, before any JSON handler.
RANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    206: {"description": "The requested byte range"},
    400: {"description": "Malformed Range header", "content": {"text/plain": {"schema": {"type": "string"}}}},
    416: {"description": "Range not satisfiable", "content": {"text/plain": {"schema": {"type": "string"}}}},
}

Override = Annotated[
    Text | None,
    Query(max_length=guard.MAX_REASON, description="Admins: why a version blocked for use is downloaded anyway"),
]


@router.get("/assets", responses=errors(400))
def list_assets(
    principal: PrincipalDep,
    session: SessionDep,
    filters: FilterDep,
    q: Annotated[Text | None, Query(max_length=500, description="Words in title or description")] = None,
    cursor: Annotated[Text | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=assets_service.MAX_PAGE)] = 48,
) -> AssetPageOut:
    filters.text = q
    page = assets_service.list_assets(session=session, principal=principal, filters=filters, cursor=cursor, limit=limit)
    return AssetPageOut(
        items=[AssetSummaryOut.of(c) for c in page.items], total=page.total, next_cursor=page.next_cursor
    )


@router.get("/assets/{asset_id}", responses=errors(404))
def get_asset(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> AssetDetailOut:
    return AssetDetailOut.of(assets_service.get_detail(session=session, principal=principal, asset_id=asset_id))


@router.post("/assets", status_code=207, responses={207: {"description": "One result per file"}, **errors(400, 413)})
def upload_assets(
    principal: PrincipalDep,
    files: Annotated[list[UploadFile], File(description="One or more files")],
    market: Annotated[list[Text] | None, Form()] = None,
    content_type: Annotated[Text | None, Form()] = None,
    campaign: Annotated[Text | None, Form()] = None,
    phase: Annotated[Text | None, Form()] = None,
    channel: Annotated[Text | None, Form()] = None,
    title: Annotated[Text | None, Form(max_length=300)] = None,
    description: Annotated[Text | None, Form(max_length=10_000)] = None,
) -> list[IngestResultOut]:
    """Upload files as new assets; each gets its own result (imported, duplicate or failed and why)."""
    if len(files) > MAX_FILES_PER_REQUEST:
        raise HTTPException(413, f"at most {MAX_FILES_PER_REQUEST} files per request")
    fields = IngestFields(
        classification=Classification(
            markets=market or [], content_type=content_type, campaign=campaign, phase=phase, channel=channel
        ),
        title=title if len(files) == 1 else None,
        description=description,
    )
    results: list[IngestResultOut] = []
    with session_scope() as session:
        lexicon = catalog_service.lexicon(session=session)
    for upload in files:
        name = upload.filename or "unnamed"
        try:
            with spooled(upload.file) as path, session_scope() as session:
                result = ingest_file(
                    session=session,
                    principal=principal,
                    path=path,
                    filename=name,
                    fields=fields,
                    lexicon=lexicon,
                )
        except UploadTooLarge as exc:
            result = IngestResult(name, Outcome.FAILED, str(exc), "too_large")
        results.append(IngestResultOut.of(result))
    return results


@router.get("/assets/{asset_id}/versions", responses=errors(404))
def list_versions(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[VersionOut]:
    detail = assets_service.get_detail(session=session, principal=principal, asset_id=asset_id)
    return [VersionOut.of(v) for v in detail.versions]


@router.post("/assets/{asset_id}/versions", status_code=201, responses=errors(400, 404, 409, 413))
def upload_version(
    asset_id: uuid.UUID,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File()],
    change_note: Annotated[Text, Form(max_length=2000)] = "",
    major: Annotated[bool, Form()] = False,
    urgent: Annotated[bool, Form(description="Alert people now, even in their quiet hours")] = False,
) -> IngestResultOut:
    """Add v1.1 (or v2.0 with major=true); earlier versions stay readable."""
    name = file.filename or "unnamed"
    with spooled(file.file) as path, session_scope() as session:
        result = add_version(
            session=session,
            principal=principal,
            asset_id=asset_id,
            path=path,
            filename=name,
            change_note=change_note,
            major=major,
            urgent=urgent,
        )
    if result.outcome == Outcome.FAILED:
        code = {"forbidden": 404, "too_large": 413}.get(result.reason or "", 422)
        raise HTTPException(code, result.message if code != 404 else "asset not found")
    if result.outcome == Outcome.DUPLICATE:
        raise HTTPException(409, result.message)
    return IngestResultOut.of(result)


@router.get(
    "/versions/{version_id}/file", response_class=FileResponse, responses={**errors(403, 404), **RANGE_RESPONSES}
)
def download_version(
    version_id: uuid.UUID,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    range_: RangeHeader = None,
    override: Override = None,
) -> FileResponse:
    """The original bytes of one version; supports Range requests for video seeking. A fetch from
    the first byte counts as one use of the asset; a player's later ranges do not. A superseded
    version links to the asset's latest one (`Link: <...>; rel="latest-version"`). 403 with the
    reasons when the version is blocked in every market you work in (an admin may override)."""
    guard.guard_download(
        session=session, principal=principal, version_id=version_id, override=override, audit=counts_as_use(range_)
    )
    handle = assets_service.version_file(
        session=session, principal=principal, version_id=version_id, count_use=counts_as_use(range_)
    )
    return original_response(handle, _with_latest_link(request, session, version_id, "download_latest"))


def _with_latest_link(request: Request, session: Session, version_id: uuid.UUID, latest_route: str) -> dict[str, str]:
    """The private caching headers, plus `Link: <...>; rel="latest-version"` (the `latest_route` of
    the asset) when a newer version than `version_id` exists. Its rows are in the session already."""
    headers = dict(PRIVATE)
    if (asset_id := versions.superseded_in(session=session, version_id=version_id)) is not None:
        latest = request.app.url_path_for(latest_route, asset_id=str(asset_id))
        headers["Link"] = f'<{latest}>; rel="latest-version"'
    return headers


def counts_as_use(range_: str | None) -> bool:
    """A fetch from the first byte is a download; a player's later ranges are not."""
    return range_ is None or range_.replace(" ", "").startswith("bytes=0-")


def original_response(handle: assets_service.FileHandle, headers: dict[str, str] = PRIVATE) -> FileResponse:
    """An original file as a download; FileResponse answers Range requests itself."""
    return FileResponse(handle.path, media_type=handle.mime, filename=handle.filename, headers=headers)


LATEST_OF_KIND = {"thumbnail": "latest_thumbnail", "preview": "latest_preview"}  # kinds with a stable latest link


@router.get("/renditions/{rendition_id}", response_class=FileResponse, responses=errors(404))
def get_rendition(
    rendition_id: uuid.UUID, request: Request, principal: PrincipalDep, session: SessionDep
) -> FileResponse:
    """A thumbnail, preview or viewing copy; a superseded version's thumbnail or preview links to the
    latest one's (`Link: <...>; rel="latest-version"`)."""
    handle = assets_service.rendition_file(session=session, principal=principal, rendition_id=rendition_id)
    rendition = session.get(Rendition, rendition_id)  # read by rendition_file: no second query
    assert rendition is not None
    if (route := LATEST_OF_KIND.get(rendition.kind)) is None:
        return rendition_response(handle)  # no latest of a viewing copy or a frame to point at
    return rendition_response(handle, _with_latest_link(request, session, rendition.version_id, route))


def rendition_response(handle: assets_service.FileHandle, headers: dict[str, str] = PRIVATE) -> FileResponse:
    """A thumbnail or preview, shown inline."""
    return FileResponse(
        handle.path,
        media_type=handle.mime,
        headers=headers,
        content_disposition_type="inline",
        filename=handle.filename,
    )


@router.get("/catalog")
def catalog(principal: PrincipalDep, session: SessionDep) -> dict[str, list[dict[str, str]]]:
    """Markets, content types, phases, channels and campaigns, for filters and forms."""
    vocab = catalog_service.vocabulary(session=session)
    return {
        "markets": [{"code": m.code, "name": m.name} for m in vocab.markets],
        "content_types": [{"code": c.code, "name": c.name} for c in vocab.content_types],
        "phases": [{"code": p.code, "name": p.name} for p in vocab.phases],
        "channels": [{"code": c.code, "name": c.name} for c in vocab.channels],
        "campaigns": [{"code": c.slug, "name": c.name} for c in vocab.campaigns],
    }
