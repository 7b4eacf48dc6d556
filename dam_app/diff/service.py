"""Asking for a comparison of two versions and reading it back, for any two versions the caller may
read (of one asset or of two). A pair is computed once, by the worker, and kept for everyone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from dam_app import db
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset, Rendition, Version
from dam_app.assets.versions import VersionNotFound
from dam_app.diff import jobs
from dam_app.diff.models import DiffImage, DiffStatus, VersionDiff
from dam_app.errors import Invalid, NotFound, TooBusy
from dam_app.storage.blobs import get_blob_store

WAITING_PER_PERSON = 8  # comparisons one person may have queued or running at once
WAITING_COUNTS = timedelta(hours=1)  # ... counting those asked for this recently


class DiffNotFound(NotFound):
    def __init__(self, ref: object = None) -> None:
        super().__init__("comparison", ref)


class TooManyComparisons(TooBusy):
    def __init__(self, waiting: int) -> None:
        many = f"{waiting} comparison{'' if waiting == 1 else 's'}"
        super().__init__(f"you have {many} still being computed; ask for more once one of them is done")


class SameVersion(Invalid):
    def __init__(self) -> None:
        super().__init__("pick two different versions to compare")


def request_diff(
    *, session: Session, principal: Principal, a: uuid.UUID, b: uuid.UUID, retry: bool = False
) -> VersionDiff:
    """The comparison of A (before) with B (after): the kept one, else a new one queued for the worker.
    `retry` queues a failed one again. Two callers asking at once share one row and one job."""
    if a == b:
        raise SameVersion()
    readable_version(session, principal, a)
    readable_version(session, principal, b)
    if principal.user_id is not None:  # a person's requests are judged one after another (until the commit)
        db.xact_lock(session, f"diff-requests:{principal.user_id}")
    kept = jobs.find_diff(session, a, b)  # after the lock: their own request for the same pair a moment ago
    queues_work = kept is None or (retry and kept.status == DiffStatus.FAILED)
    if queues_work and principal.user_id is not None:
        _room_for_one_more(session, principal.user_id)
    diff = jobs.ensure_diff(session, a, b, retry=retry, by=principal.user_id if queues_work else None)
    session.commit()
    return diff


def _room_for_one_more(session: Session, person: uuid.UUID) -> None:
    """Refuse a comparison that would be the person's WAITING_PER_PERSON+1th queued or running one.
    One asked for over WAITING_COUNTS ago no longer counts: a job lost with a killed worker must
    not lock its asker out (opening it again queues it again)."""
    waiting = session.exec(
        select(func.count())
        .select_from(VersionDiff)
        .where(
            col(VersionDiff.requested_by) == person,
            col(VersionDiff.status).in_((DiffStatus.QUEUED, DiffStatus.RUNNING)),
            col(VersionDiff.created_at) > func.now() - WAITING_COUNTS,
        )
    ).one()
    if waiting >= WAITING_PER_PERSON:
        raise TooManyComparisons(waiting)


def get_diff(*, session: Session, principal: Principal, diff_id: uuid.UUID) -> VersionDiff:
    """A comparison whose two versions the caller may still read (else not found)."""
    diff = session.get(VersionDiff, diff_id)
    if diff is None:
        raise DiffNotFound(diff_id)
    try:
        readable_version(session, principal, diff.version_a)
        readable_version(session, principal, diff.version_b)
    except NotFound as exc:
        raise DiffNotFound(diff_id) from exc
    return diff


def diff_image(*, session: Session, principal: Principal, diff_id: uuid.UUID, name: str) -> assets_service.FileHandle:
    """One of the comparison's pictures (heatmap, aligned, keyframe-a-0...), checked like the diff."""
    get_diff(session=session, principal=principal, diff_id=diff_id)
    image = session.exec(select(DiffImage).where(DiffImage.diff_id == diff_id, DiffImage.name == name)).first()
    if image is None:
        raise NotFound("comparison picture", name)
    return assets_service.FileHandle(get_blob_store().path_of(image.blob_sha256), image.mime, f"{name}.jpg")


def readable_version(session: Session, principal: Principal, version_id: uuid.UUID) -> Version:
    version = session.get(Version, version_id)
    if version is None:
        raise VersionNotFound(version_id)
    try:
        assets_service.visible_asset(session, principal, version.asset_id)
    except NotFound as exc:
        raise VersionNotFound(version_id) from exc
    return version


def asset_versions(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> list[Version]:
    """The asset's versions, oldest first, for the compare page's pickers."""
    asset: Asset = assets_service.visible_asset(session, principal, asset_id)
    return list(
        session.exec(
            select(Version).where(Version.asset_id == asset.id).order_by(col(Version.major), col(Version.minor))
        )
    )


def preview_ids(*, session: Session, version_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each version's preview rendition (versions not rendered yet are missing)."""
    rows = session.exec(
        select(Rendition.version_id, Rendition.id).where(
            col(Rendition.version_id).in_(version_ids), Rendition.kind == "preview"
        )
    )
    return dict(rows.all())
