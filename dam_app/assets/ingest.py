"""Accept a file: validate its content, store its bytes once, create the asset or a new version.

The heavy work (metadata, renditions) is queued for the worker only after the transaction commits,
so a worker never sees a half-written asset. A blob this upload created is taken back when its
transaction does not commit (the database refused the rows or went away mid-request), so a failed
upload leaves no bytes that no row names.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import classify
from dam_app.assets import jobs as asset_jobs
from dam_app.assets.filenames import safe_filename, title_from_filename
from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.assets.sniff import Inspection, RejectedFile, inspect_file, media_kind_of
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.catalog.service import Lexicon, UnknownValue
from dam_app.config import get_settings
from dam_app.db import xact_lock
from dam_app.errors import DamError
from dam_app.events import Audience, VersionAdded
from dam_app.fields import utcnow
from dam_app.reactions import publish_on_commit
from dam_app.storage.blobs import BlobTooLarge, StoredBlob, get_blob_store
from dam_app.storage.models import ensure_blob

log = logging.getLogger(__name__)
_NEW_BLOBS = "dam_new_blobs"


class Outcome(StrEnum):
    IMPORTED = "imported"
    NEW_VERSION = "new_version"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class IngestResult:
    filename: str
    outcome: Outcome
    message: str
    reason: str | None = None
    asset_id: uuid.UUID | None = None
    version_id: uuid.UUID | None = None
    version_label: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.IMPORTED, Outcome.NEW_VERSION)


@dataclass(frozen=True)
class IngestFields:
    """What a person says about a new file; classification values are codes, names or aliases."""

    classification: classify.Classification
    title: str | None = None
    description: str | None = None
    source_path: str | None = None


def ingest_file(
    *,
    session: Session,
    principal: Principal,
    path: Path,
    filename: str,
    fields: IngestFields,
    lexicon: Lexicon | None = None,
) -> IngestResult:
    """Create a new asset (v1.0) from the file at `path`; never raises for bad input."""
    name = safe_filename(filename)
    try:
        principal.require("asset.write")
        lexicon = lexicon or catalog_service.lexicon(session=session)
        resolved = classify.resolve(session=session, lexicon=lexicon, raw=fields.classification)
        markets = resolved.markets or sorted(principal.region_codes)
        principal.require_markets(markets)
        checked = _check_and_store(path, name)
        _discard_unless_committed(session, checked.stored)
        if (existing := _existing_version(session, checked.sha256)) is not None:
            return _duplicate(session, principal, name, existing)
    except (RejectedFile, UnknownValue, PermissionDenied) as exc:
        return _failed(name, exc)

    ensure_blob(session, checked.sha256, checked.size, checked.inspection.mime)
    asset = Asset(
        title=(fields.title or "").strip()[:300] or title_from_filename(name),
        description=(fields.description or "").strip(),
        media_kind=checked.inspection.media_kind,
        status=AssetStatus.PROCESSING,
        markets=markets,
        content_type=resolved.content_type,
        campaign=resolved.campaign,
        phase=resolved.phase,
        channel=resolved.channel,
        language=resolved.language,
        created_by=principal.user_id,
    )
    session.add(asset)
    session.flush()
    version = _new_version(session, asset, checked, name, principal, fields.source_path, "", (1, 0))
    asset.current_version_id = version.id
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="asset.create",
        object_type="asset",
        object_id=asset.id,
        details={"filename": name, "sha256": checked.sha256, "markets": markets},
    )
    announce_version(session, principal, asset, version, previous_id=None)
    note = f" ({checked.inspection.name_mismatch})" if checked.inspection.name_mismatch else ""
    return IngestResult(
        name, Outcome.IMPORTED, f"imported as {asset.title!r} v1.0{note}", None, asset.id, version.id, "v1.0"
    )


def add_version(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    path: Path,
    filename: str,
    change_note: str = "",
    major: bool = False,
    urgent: bool = False,
) -> IngestResult:
    """Add an immutable new version (v1.1, or v2.0 when `major`); earlier versions stay untouched.
    `urgent`: its alert passes the recipients' quiet hours (a wrong price live in a market)."""
    name = safe_filename(filename)
    try:
        principal.require("asset.write")
        asset = session.get(Asset, asset_id)
        if asset is None or not principal.may_see_markets(asset.markets, asset.created_by):
            raise PermissionDenied("no such asset")
        checked = _check_and_store(path, name)
    except (RejectedFile, PermissionDenied) as exc:
        return _failed(name, exc)
    _discard_unless_committed(session, checked.stored)

    lock_numbering(session, asset_id)
    same = session.exec(
        select(Version).where(Version.asset_id == asset_id, Version.blob_sha256 == checked.sha256)
    ).first()
    if same is not None:
        return IngestResult(
            name,
            Outcome.DUPLICATE,
            f"identical to {same.label} of this asset",
            "duplicate",
            asset_id,
            same.id,
            same.label,
        )
    number = next_number(session, asset_id, major=major)
    ensure_blob(session, checked.sha256, checked.size, checked.inspection.mime)
    version = _new_version(session, asset, checked, name, principal, None, change_note.strip(), number)
    make_current(
        session,
        principal,
        asset,
        version,
        "version.create",
        {"version": version.label, "filename": name, "sha256": checked.sha256},
        urgent=urgent,
    )
    return IngestResult(name, Outcome.NEW_VERSION, f"added {version.label}", None, asset.id, version.id, version.label)


@dataclass(frozen=True)
class _Checked:
    stored: StoredBlob
    inspection: Inspection

    @property
    def sha256(self) -> str:
        return self.stored.sha256

    @property
    def size(self) -> int:
        return self.stored.size


def _check_and_store(path: Path, name: str) -> _Checked:
    settings = get_settings()
    if not path.is_file():
        raise RejectedFile("unreadable", "the file cannot be read")
    size = path.stat().st_size
    if size > settings.max_upload_bytes:
        raise RejectedFile(
            "too_large", f"file is {size:,} bytes, above the limit of {settings.max_upload_bytes:,} bytes"
        )
    try:
        inspection = inspect_file(path, name, max_image_pixels=settings.max_image_pixels)
    except PermissionError as exc:
        raise RejectedFile("unreadable", f"the file cannot be read: {exc.strerror}") from exc
    try:
        stored = get_blob_store().put_file(path, max_bytes=settings.max_upload_bytes)
    except BlobTooLarge as exc:
        raise RejectedFile("too_large", str(exc)) from exc
    except OSError as exc:
        raise RejectedFile("unreadable", f"the file cannot be read: {exc.strerror or exc}") from exc
    return _Checked(stored, inspection)


def _discard_unless_committed(session: Session, stored: StoredBlob) -> None:
    """Take back the blob this upload created if its transaction ends without a commit."""
    if not stored.created:
        return  # the bytes were there before: some row (or an earlier upload) may rely on them
    session.info.setdefault(_NEW_BLOBS, []).append(stored)
    if not event.contains(session, "after_commit", _keep_new_blobs):
        # First in line: a later after-commit callback that raises must not make a committed blob look lost.
        event.listen(session, "after_commit", _keep_new_blobs, insert=True)
        event.listen(session, "after_transaction_end", _discard_new_blobs)


def _keep_new_blobs(session: Session) -> None:
    session.info.pop(_NEW_BLOBS, None)


def _discard_new_blobs(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint ended; the outer transaction may still commit
    doomed: list[StoredBlob] = session.info.pop(_NEW_BLOBS, [])
    store = get_blob_store()
    for stored in doomed:
        try:
            store.discard(stored)
        except OSError:
            log.warning("could not take back blob %s of a failed upload", stored.sha256, exc_info=True)


def _existing_version(session: Session, sha256: str) -> Version | None:
    xact_lock(session, sha256)
    return session.exec(select(Version).where(Version.blob_sha256 == sha256).order_by(col(Version.created_at))).first()


def _duplicate(session: Session, principal: Principal, name: str, existing: Version) -> IngestResult:
    asset = session.get(Asset, existing.asset_id)
    if asset is not None and principal.may_see_markets(asset.markets, asset.created_by):
        return IngestResult(
            name,
            Outcome.DUPLICATE,
            f"duplicate of {asset.title!r} {existing.label}",
            "duplicate",
            asset.id,
            existing.id,
            existing.label,
        )
    return IngestResult(
        name,
        Outcome.DUPLICATE,
        "an identical file is already in the library (in markets you cannot see)",
        "duplicate",
    )


def _failed(name: str, exc: DamError) -> IngestResult:
    reason = getattr(exc, "reason", None) or {
        UnknownValue: "unknown_value",
        PermissionDenied: "forbidden",
    }.get(type(exc), "error")
    return IngestResult(name, Outcome.FAILED, str(exc), reason)


def _new_version(
    session: Session,
    asset: Asset,
    checked: _Checked,
    name: str,
    principal: Principal,
    source_path: str | None,
    change_note: str,
    number: tuple[int, int],
) -> Version:
    inspection = checked.inspection
    version = Version(
        asset_id=asset.id,
        major=number[0],
        minor=number[1],
        blob_sha256=checked.sha256,
        original_filename=name,
        source_path=source_path,
        mime=inspection.mime,
        size=checked.size,
        width=inspection.width,
        height=inspection.height,
        change_note=change_note,
        created_by=principal.user_id,
    )
    session.add(version)
    session.flush()
    return version


def lock_numbering(session: Session, asset_id: uuid.UUID) -> None:
    """Serialise numbering per asset until commit: concurrent adds and restores get distinct labels in
    commit order (the unique constraint would otherwise refuse the second of two equal numbers)."""
    xact_lock(session, str(asset_id))


def next_number(session: Session, asset_id: uuid.UUID, *, major: bool) -> tuple[int, int]:
    """The next (major, minor) after the asset's highest version: v1.2 -> v1.3, or v2.0 when `major`.
    Read under `lock_numbering`."""
    top_major, top_minor = session.exec(
        select(Version.major, Version.minor)
        .where(Version.asset_id == asset_id)
        .order_by(col(Version.major).desc(), col(Version.minor).desc())
    ).first() or (0, 0)
    return (top_major + 1, 0) if major else (top_major, top_minor + 1)


def make_current(
    session: Session,
    principal: Principal,
    asset: Asset,
    version: Version,
    action: str,
    details: dict[str, str],
    *,
    urgent: bool = False,
) -> None:
    """A version just added (uploaded or restored) becomes what the asset shows: audited, announced
    and processed once the transaction commits."""
    previous_id = asset.current_version_id
    asset.current_version_id = version.id
    # A version of another kind (a short video replacing a banner in its campaign slot) is allowed: the
    # asset is what its current version is, so filters, search and the page's player follow it.
    asset.media_kind = media_kind_of(version.mime)
    asset.status = AssetStatus.PROCESSING
    asset.updated_at = utcnow()
    session.add(asset)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=action,
        object_type="asset",
        object_id=asset.id,
        details={**details, "urgent": "yes"} if urgent else details,
    )
    restored_from = details.get("restored_from", "")
    announce_version(
        session, principal, asset, version, previous_id=previous_id, restored_from=restored_from, urgent=urgent
    )


def announce_version(
    session: Session,
    principal: Principal,
    asset: Asset,
    version: Version,
    *,
    previous_id: uuid.UUID | None,
    restored_from: str = "",
    urgent: bool = False,
) -> None:
    """Announce the version and queue its processing once the rows are visible to other connections."""
    added = VersionAdded(
        asset_id=asset.id,
        version_id=version.id,
        audience=Audience.of(asset),
        label=version.label,
        previous_version_id=previous_id,
        by=principal.display_name or principal.email,
        note=version.change_note,
        restored_from=restored_from,
        urgent=urgent,
    )
    publish_on_commit(session, added)
    asset_jobs.start_processing(session=session, asset=asset, version=version)
