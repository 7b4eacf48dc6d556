"""Restore an earlier version as a new one, and the stable "latest" reads behind permanent links.

History is never rewritten: restoring v1.0 adds v1.2 (or v2.0) pointing at v1.0's stored bytes, so
nothing is uploaded again and every label keeps naming the same file forever.
"""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.ingest import IngestResult, Outcome, lock_numbering, make_current, next_number
from dam_app.assets.models import Asset, Version
from dam_app.assets.renditions import rendition_of
from dam_app.errors import NotFound

_LABEL = re.compile(r"v?(\d+)\.(\d+)", re.IGNORECASE)


class VersionNotFound(NotFound):
    """No such version of this asset (also a version of another asset, or one out of scope)."""

    def __init__(self, ref: object = None) -> None:
        super().__init__("version", ref)


class NoRenditionYet(NotFound):
    """The latest version has not been rendered yet: the link is right, the file comes shortly."""

    def __init__(self, kind: str, label: str) -> None:
        super().__init__(kind, label)
        self.message = f"{label} has no {kind} yet: it is still being processed"
        self.args = (self.message,)


def restore_version(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    version_id: uuid.UUID,
    note: str = "",
    major: bool = False,
    urgent: bool = False,
) -> IngestResult:
    """Add a new version (minor by default) with the bytes of `version_id`; a DUPLICATE outcome, and
    nothing added, when the current version already has those bytes (as add_version refuses them).
    `urgent`: as for an upload, its alert passes quiet hours."""
    assets_service.visible_asset(session, principal, asset_id)  # 404 before 403: scope never leaks
    principal.require("asset.write")
    lock_numbering(session, asset_id)
    # Read again under the lock, and hold the row until commit: deleted meanwhile is a 404, not a
    # foreign-key error, and the current version compared below is the one this commit replaces.
    asset = session.get(Asset, asset_id, populate_existing=True, with_for_update={"key_share": True})
    if asset is None:
        raise assets_service.AssetNotFound(str(asset_id))
    source = session.get(Version, version_id)
    if source is None or source.asset_id != asset.id:
        raise VersionNotFound(str(version_id))
    current = session.get(Version, asset.current_version_id) if asset.current_version_id else None
    if current is not None and current.blob_sha256 == source.blob_sha256:
        return IngestResult(
            source.original_filename,
            Outcome.DUPLICATE,
            f"identical to the current version {current.label}",
            "duplicate",
            asset.id,
            current.id,
            current.label,
        )
    number = next_number(session, asset.id, major=major)
    change_note = f"Restored from {source.label}" + (f": {note.strip()}" if note.strip() else "")
    version = Version(
        asset_id=asset.id,
        major=number[0],
        minor=number[1],
        blob_sha256=source.blob_sha256,
        original_filename=source.original_filename,
        mime=source.mime,
        size=source.size,
        width=source.width,
        height=source.height,
        change_note=change_note[:2000],
        created_by=principal.user_id,
    )
    session.add(version)
    session.flush()
    details = {"version": version.label, "restored_from": source.label, "sha256": source.blob_sha256}
    make_current(session, principal, asset, version, "version.restore", details, urgent=urgent)  # stages run again
    return IngestResult(
        source.original_filename,
        Outcome.NEW_VERSION,
        f"restored {source.label} as {version.label}",
        None,
        asset.id,
        version.id,
        version.label,
    )


def find_version(*, session: Session, principal: Principal, asset_id: uuid.UUID, ref: str) -> Version:
    """A version of a visible asset by its label ("v1.0", "1.0") or its id."""
    assets_service.visible_asset(session, principal, asset_id)
    stmt = select(Version).where(Version.asset_id == asset_id)
    if match := _LABEL.fullmatch(ref.strip()):
        stmt = stmt.where(Version.major == int(match[1]), Version.minor == int(match[2]))
    else:
        try:
            stmt = stmt.where(Version.id == uuid.UUID(ref.strip()))
        except ValueError as exc:
            raise VersionNotFound(ref) from exc
    version = session.exec(stmt).first()
    if version is None:
        raise VersionNotFound(ref)
    return version


def latest_version(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> Version:
    """The asset's newest version (add_version and restore make each new one current)."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    version = session.get(Version, asset.current_version_id) if asset.current_version_id else None
    if version is None:
        version = session.exec(
            select(Version)
            .where(Version.asset_id == asset.id)
            .order_by(col(Version.major).desc(), col(Version.minor).desc())
        ).first()
    if version is None:
        raise assets_service.AssetNotFound(str(asset_id))
    return version


def superseded_in(*, session: Session, version_id: uuid.UUID) -> uuid.UUID | None:
    """The asset id when a newer version than `version_id` exists (for a `rel="latest-version"`
    link), else None. Call after a read that checked the caller may see the version."""
    version = session.get(Version, version_id)
    asset = session.get(Asset, version.asset_id) if version else None
    if asset is None or asset.current_version_id in (None, version_id):
        return None
    return asset.id


def latest_file(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, count_use: bool = False
) -> assets_service.FileHandle:
    """The newest version's original, with the same checks and use counting as a version's file."""
    version = latest_version(session=session, principal=principal, asset_id=asset_id)
    return assets_service.version_file(session=session, principal=principal, version_id=version.id, count_use=count_use)


def latest_rendition(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, kind: str
) -> assets_service.FileHandle:
    """The newest version's thumbnail or preview; NoRenditionYet until the worker has rendered it."""
    version = latest_version(session=session, principal=principal, asset_id=asset_id)
    rendition = rendition_of(session, version.id, kind)
    if rendition is None:
        raise NoRenditionYet(kind, version.label)
    return assets_service.rendition_file(session=session, principal=principal, rendition_id=rendition.id)
