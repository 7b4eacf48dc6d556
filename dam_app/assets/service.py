"""Read assets the caller may see: filtered pages, details, versions, files, rights edits."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, true
from sqlmodel import Session, col, select

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import usage
from dam_app.assets.dimensions import AssetFilter, filter_conditions, overlaps
from dam_app.assets.models import Asset, Rendition, RightsRecord, Version
from dam_app.assets.renditions import FRAME_PREFIX
from dam_app.audit import service as audit_service
from dam_app.db import on_commit
from dam_app.errors import Malformed, NotFound
from dam_app.processing import service as processing_service
from dam_app.processing.models import JobRun
from dam_app.storage.blobs import get_blob_store
from dam_app.tagging import service as tagging_service
from dam_app.tagging.service import AssetTagView

MAX_PAGE = 200


class AssetNotFound(NotFound):
    """No such asset for this caller (also when it exists outside the caller's markets)."""

    def __init__(self, ref: object = None) -> None:
        super().__init__("asset", ref)


class BadCursor(Malformed):
    """A page cursor this service did not issue."""


@dataclass(frozen=True)
class AssetCard:
    asset: Asset
    thumbnail_id: uuid.UUID | None
    version_label: str | None


@dataclass(frozen=True)
class AssetPage:
    items: list[AssetCard]
    next_cursor: str | None
    total: int


@dataclass(frozen=True)
class AssetDetail:
    asset: Asset
    versions: list[Version]
    current: Version | None
    renditions: dict[str, Rendition]
    rights: list[RightsRecord]  # the asset's rights records, the file's (embedded) one included
    tags: list[AssetTagView]
    stages: list[JobRun]
    shown: Version | None = None  # the version the page shows: the current one unless another was asked for


def visibility(principal: Principal, source: Any = Asset) -> ColumnElement[bool]:
    """SQL condition for assets in the caller's markets (or global, or their own uploads).

    `source` is `Asset` or a table mirroring its columns under the same names (search documents).
    """
    principal.require("asset.read")
    if principal.all_regions:
        return true()
    markets = sorted(principal.visible_markets)
    conditions: list[ColumnElement[bool]] = []
    if markets:
        conditions.append(overlaps(source.markets, markets))
    if principal.user_id is not None:
        conditions.append(source.created_by == principal.user_id)
    return or_(*conditions) if conditions else false()


def list_assets(
    *,
    session: Session,
    principal: Principal,
    filters: AssetFilter,
    cursor: str | None = None,
    limit: int = 48,
) -> AssetPage:
    """Newest first, keyset-paginated on (created_at, id) so deep pages stay as fast as the first."""
    limit = max(1, min(limit, MAX_PAGE))
    where = and_(visibility(principal), *filter_conditions(filters))
    total = session.exec(select(func.count()).select_from(Asset).where(where)).one()
    stmt = select(Asset).where(where)
    if cursor:
        created_at, asset_id = _decode_cursor(cursor)
        stmt = stmt.where(
            or_(
                col(Asset.created_at) < created_at,
                and_(col(Asset.created_at) == created_at, col(Asset.id) < asset_id),
            )
        )
    rows = list(session.exec(stmt.order_by(col(Asset.created_at).desc(), col(Asset.id).desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    cards = cards_for(session, rows)
    next_cursor = _encode_cursor(rows[-1]) if more and rows else None
    return AssetPage(cards, next_cursor, int(total))


def get_detail(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID | None = None
) -> AssetDetail:
    """The asset with its versions; `version_id` (one of its versions) is shown instead of the current one."""
    asset = visible_asset(session, principal, asset_id)
    versions = list(
        session.exec(
            select(Version)
            .where(Version.asset_id == asset.id)
            .order_by(col(Version.major).desc(), col(Version.minor).desc())
        )
    )
    current = next((v for v in versions if v.id == asset.current_version_id), versions[0] if versions else None)
    shown = next((v for v in versions if v.id == version_id), current)
    renditions: dict[str, Rendition] = {}
    if shown is not None:
        # The version's own renditions; the frames kept for comment threads are the comments' to give
        # (an internal thread's frame must not reach someone who may not read the thread).
        own = select(Rendition).where(Rendition.version_id == shown.id, ~col(Rendition.kind).startswith(FRAME_PREFIX))
        renditions = {r.kind: r for r in session.exec(own)}
    return AssetDetail(
        asset=asset,
        versions=versions,
        current=current,
        renditions=renditions,
        rights=list(
            session.exec(select(RightsRecord).where(RightsRecord.asset_id == asset.id).order_by(col(RightsRecord.id)))
        ),
        tags=tagging_service.tags_for(session=session, asset_id=asset.id),
        stages=processing_service.stages_for(session=session, version_id=current.id) if current else [],
        shown=shown,
    )


@dataclass(frozen=True)
class FileHandle:
    path: Path
    mime: str
    filename: str


def version_file(
    *, session: Session, principal: Principal, version_id: uuid.UUID, count_use: bool = False
) -> FileHandle:
    """The original file of a version. `count_use`: this fetch is a use (a download, not a player
    seeking through a video), counted on the asset for the usage facet and the "most used" sort."""
    version = session.get(Version, version_id)
    if version is None:
        raise AssetNotFound(str(version_id))
    visible_asset(session, principal, version.asset_id)
    if count_use:
        asset_id = version.asset_id
        on_commit(session, lambda: usage.counter.note(asset_id, 1))  # counted within seconds, never here
        _audit_use(session, principal, version, DOWNLOAD_ACTION)
    return FileHandle(get_blob_store().path_of(version.blob_sha256), version.mime, version.original_filename)


DOWNLOAD_ACTION = "asset.download"  # someone fetched a version's original (audited, as below)
PLAY_ACTION = "asset.play"  # someone pressed play on a version's video (audited; its newer versions tell them)


def note_played(*, session: Session, principal: Principal, version_id: uuid.UUID) -> None:
    """Record that the caller watched this version's video: when a newer version lands, they hear
    of it as a downloader does (notify/recipients.py). An insert, never an update of a shared row."""
    version = session.get(Version, version_id)
    if version is None:
        raise AssetNotFound(str(version_id))
    visible_asset(session, principal, version.asset_id)
    _audit_use(session, principal, version, PLAY_ACTION)


def _audit_use(session: Session, principal: Principal, version: Version, action: str) -> None:
    """A download or a play, audited on the version (the alerts look people up by it)."""
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=action,
        object_type="version",
        object_id=version.id,
        details={"asset_id": str(version.asset_id)},
    )


def rendition_file(*, session: Session, principal: Principal, rendition_id: uuid.UUID) -> FileHandle:
    rendition = session.get(Rendition, rendition_id)
    version = session.get(Version, rendition.version_id) if rendition else None
    if rendition is None or version is None:
        raise AssetNotFound(str(rendition_id))
    visible_asset(session, principal, version.asset_id)
    stem = version.original_filename.rsplit(".", 1)[0]
    extension = ".mp4" if rendition.mime == "video/mp4" else ".jpg"  # a video's viewing copy, else a picture
    name = f"{stem}-{rendition.kind}{extension}"
    return FileHandle(get_blob_store().path_of(rendition.blob_sha256), rendition.mime, name)


def visible_asset(session: Session, principal: Principal, asset_id: uuid.UUID) -> Asset:
    try:
        principal.require("asset.read")
    except PermissionDenied as exc:
        raise AssetNotFound(str(asset_id)) from exc
    asset = session.get(Asset, asset_id)
    if asset is None or not principal.may_see_markets(asset.markets, asset.created_by):
        raise AssetNotFound(str(asset_id))
    return asset


def visible_assets(session: Session, principal: Principal, ids: list[uuid.UUID]) -> list[Asset]:
    """The assets with these ids that the caller may see, in the ids' order (as `visible_asset`)."""
    if not principal.can("asset.read"):
        return []
    return [a for a in assets_in_order(session, ids) if principal.may_see_markets(a.markets, a.created_by)]


def assets_in_order(session: Session, ids: list[uuid.UUID]) -> list[Asset]:
    """The assets with these ids, in the ids' order (ranked results); missing ids are skipped."""
    if not ids:
        return []
    found = {a.id: a for a in session.exec(select(Asset).where(col(Asset.id).in_(ids)))}
    return [found[i] for i in ids if i in found]


def cards_for(session: Session, assets: list[Asset]) -> list[AssetCard]:
    version_ids = [a.current_version_id for a in assets if a.current_version_id]
    thumbs: dict[uuid.UUID, uuid.UUID] = {}
    labels: dict[uuid.UUID, str] = {}
    if version_ids:
        for rendition in session.exec(
            select(Rendition).where(col(Rendition.version_id).in_(version_ids), Rendition.kind == "thumbnail")
        ):
            thumbs[rendition.version_id] = rendition.id
        for vid, major, minor in session.exec(
            select(Version.id, Version.major, Version.minor).where(col(Version.id).in_(version_ids))
        ):
            labels[vid] = f"v{major}.{minor}"
    return [
        AssetCard(
            a,
            thumbs.get(a.current_version_id) if a.current_version_id else None,
            labels.get(a.current_version_id) if a.current_version_id else None,
        )
        for a in assets
    ]


def _encode_cursor(asset: Asset) -> str:
    raw = json.dumps([asset.created_at.isoformat(), str(asset.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, asset_id = json.loads(raw)
        if not isinstance(created_at, str) or not isinstance(asset_id, str):  # uuid.UUID(99) is an AttributeError
            raise TypeError("a cursor holds two strings")
        return datetime.fromisoformat(created_at), uuid.UUID(asset_id)
    except (ValueError, TypeError) as exc:
        raise BadCursor("invalid page cursor") from exc
