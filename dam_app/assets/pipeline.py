"""Run a version's stages in the registry's order (`dam_app.stages`), each skipped once it has
succeeded, so a retry after a crash or a killed worker resumes where the last attempt stopped; then
mark the asset ready, or failed visibly on the last attempt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from dam_app import events
from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.config import get_settings
from dam_app.events import Audience, StageChanged
from dam_app.fields import utcnow
from dam_app.processing import service as processing_service
from dam_app.processing.models import JobStatus
from dam_app.processing.stages import DEFAULT_QUEUE, StageInput
from dam_app.stages import REGISTRY
from dam_app.storage.blobs import get_blob_store


class VersionGone(LookupError):
    """The version was deleted after the job was queued: nothing to do."""


class WorkerLost(RuntimeError):
    """A stage started again and again and never finished: the process running it died each time."""


@dataclass(frozen=True)
class HandOff:
    """The next pending stage runs on another queue: the job queues the version there and ends."""

    queue: str
    asset_id: uuid.UUID
    audience: Audience


def process_version(
    *, session: Session, version_id: uuid.UUID, final_attempt: bool, queue: str = DEFAULT_QUEUE
) -> str | HandOff:
    """Run every pending stage of this queue in order; on the final failed attempt mark the asset
    failed, visibly."""
    version = session.get(Version, version_id)
    if version is None:
        raise VersionGone(str(version_id))
    job = StageInput(session, version.asset_id, version.id, get_blob_store().path_of(version.blob_sha256))
    limit = get_settings().job_retries + 1
    runs = {run.stage: run for run in processing_service.stages_for(session=session, version_id=version_id)}
    for stage in REGISTRY.stages:
        run = runs.get(stage.name)
        if run is None or run.status == JobStatus.SUCCEEDED:
            continue
        if stage.queue != queue:
            return HandOff(stage.queue, version.asset_id, _audience(session, version))
        _publish(session, version, stage.name, "running")
        try:
            with processing_service.track_stage(session=session, run=run):
                stage.run(job)
        except Exception as exc:
            # A job queued again by the sweeper has a fresh retry budget; the stage's own count decides.
            _record_failure(session, version, stage.name, exc, final_attempt or run.attempts >= limit)
            _publish(session, version, stage.name, "failed")
            raise
        _publish(session, version, stage.name, "succeeded")
    _mark_ready(session, version)
    _publish(session, version, events.ALL_STAGES, "ready")
    return "ready"


def _mark_ready(session: Session, version: Version) -> None:
    asset = session.get(Asset, version.asset_id)
    if asset is None:
        return
    version.processing_error = None
    session.add(version)
    if asset.current_version_id == version.id and asset.status != AssetStatus.ARCHIVED:
        asset.status = AssetStatus.READY
        asset.updated_at = utcnow()
        session.add(asset)
    session.commit()


def abandon(*, session: Session, version_id: uuid.UUID, attempts: int) -> None:
    """Record a version failed whose stage never finished in `attempts` tries (the sweeper found the
    queue had given up on it): the asset shows "failed" with the reason instead of processing forever."""
    version = session.get(Version, version_id)
    if version is None:
        return
    runs = processing_service.stages_for(session=session, version_id=version_id)
    stuck = next((r for r in runs if r.status == JobStatus.RUNNING), None)
    stage = stuck.stage if stuck else "processing"
    exc = WorkerLost(f"the worker stopped while running this stage, {attempts} times")
    if stuck is not None:
        stuck.status = JobStatus.FAILED
        stuck.error = f"{type(exc).__name__}: {exc}"
        stuck.finished_at = utcnow()
        session.add(stuck)
    _record_failure(session, version, stage, exc, True)
    _publish(session, version, stage, "failed")


def _record_failure(session: Session, version: Version, stage: str, exc: Exception, final: bool) -> None:
    version = session.get(Version, version.id) or version
    version.processing_error = f"{stage}: {type(exc).__name__}: {exc}"[:2000]
    session.add(version)
    asset = session.get(Asset, version.asset_id)
    if final and asset is not None and asset.current_version_id == version.id:
        has_ready_version = session.exec(
            select(Version.id).where(
                Version.asset_id == asset.id,
                Version.id != version.id,
                col(Version.processing_error).is_(None),
            )
        ).first()
        asset.status = AssetStatus.READY if has_ready_version else AssetStatus.FAILED
        session.add(asset)
    session.commit()


def _audience(session: Session, version: Version) -> Audience:
    asset = session.get(Asset, version.asset_id)
    return Audience.of(asset) if asset is not None else Audience()


def _publish(session: Session, version: Version, stage: str, status: str) -> None:
    """Stage marks are committed as they are made (`track_stage`), so the event goes at once."""
    event = StageChanged(
        asset_id=version.asset_id,
        version_id=version.id,
        stage=stage,
        status=status,
        audience=_audience(session, version),
    )
    events.publish(event)
