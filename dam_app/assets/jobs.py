"""RQ entry points for processing a version, and the one place that queues them: take ids, open a
session, call the pipeline, return."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Collection, Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

import dam_app.models  # noqa: F401  (every table, so foreign keys resolve in a fresh worker)
from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets import pipeline
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset, Version
from dam_app.db import on_commit, session_scope
from dam_app.errors import Conflict, Invalid
from dam_app.events import Audience, StageChanged
from dam_app.processing import service as processing_service
from dam_app.processing.models import JobRun
from dam_app.processing.stages import DEFAULT_QUEUE
from dam_app.stages import REGISTRY
from dam_app.worker import queues

log = logging.getLogger(__name__)


class NothingToRerun(Conflict):
    def __init__(self) -> None:
        super().__init__("the asset has no version to process yet")


class UnknownStage(Invalid):
    def __init__(self, names: Collection[str]) -> None:
        super().__init__(f"no such stage: {', '.join(names)} (stages: {', '.join(REGISTRY.names())})")


BACKFILL_BATCH = 500


def process_version(version_id: str, queue: str = DEFAULT_QUEUE) -> str:
    retries_left = queues.current_job_retries_left()
    with session_scope() as session:
        try:
            outcome = pipeline.process_version(
                session=session, version_id=uuid.UUID(version_id), final_attempt=not retries_left, queue=queue
            )
        except pipeline.VersionGone:
            log.info("version %s no longer exists; nothing to process", version_id)
            return "gone"
    if isinstance(outcome, pipeline.HandOff):
        enqueue_processing(
            version_id=uuid.UUID(version_id), asset_id=outcome.asset_id, audience=outcome.audience, queue=outcome.queue
        )
        return f"continues on {outcome.queue}"
    return outcome


def start_processing(*, session: Session, asset: Asset, version: Version) -> None:
    """Record every registered stage as queued for a new version, and queue its job once the
    transaction commits (a worker never sees a half-written asset)."""
    processing_service.queue_stages(session=session, asset_id=asset.id, version_id=version.id, stages=REGISTRY.names())
    on_commit(session, _enqueuer(version.id, asset.id, Audience.of(asset)))


def enqueue_processing(
    *, version_id: uuid.UUID, asset_id: uuid.UUID, audience: Audience, queue: str = DEFAULT_QUEUE
) -> str | None:
    """Queue the version's stages; None when the queue is unreachable. The upload stands regardless:
    its stage rows say "queued", and the sweeper (`worker.sweeper`) queues it once Redis is back."""
    try:
        job_id = queues.enqueue(
            process_version,
            str(version_id),
            queue,
            job_id=processing_service.processing_job_id(version_id, queue),
            queue_kind=queue,
        )
    except queues.QueueUnavailable as exc:
        log.warning("%s; version %s waits for the sweeper", exc, version_id)
        return None
    queued = StageChanged(
        asset_id=asset_id, version_id=version_id, stage=events.ALL_STAGES, status="queued", audience=audience
    )
    events.publish(queued)
    return job_id


def audiences(*, session: Session, asset_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Audience]:
    """Each asset's audience, for events about assets the caller holds only ids of."""
    ids = list(asset_ids)
    if not ids:
        return {}
    rows = session.exec(select(Asset.id, Asset.markets, Asset.created_by).where(col(Asset.id).in_(ids))).all()
    return {asset_id: Audience(tuple(markets), created_by) for asset_id, markets, created_by in rows}


def next_queue_after(done: Collection[str]) -> str:
    """The queue of the first registered stage not in `done` (the default one when none is left)."""
    pending = (stage for stage in REGISTRY.stages if stage.name not in done)
    return next((stage.queue for stage in pending), DEFAULT_QUEUE)


def enqueue_missing_stages() -> int:
    """Give every version a queued row for each registered stage it lacks (a stage added after it
    was ingested) and queue its processing; returns how many versions."""
    names = REGISTRY.names()
    queued = 0
    after: uuid.UUID | None = None
    while True:
        with session_scope() as session:
            batch = _versions_after(session, after)
            if not batch:
                break
            after = batch[-1][0]
            lacking = [(vid, aid, [n for n in names if n not in have]) for vid, aid, have in batch]
            lacking = [item for item in lacking if item[2]]
            found = audiences(session=session, asset_ids={aid for _, aid, _ in lacking})
            for version_id, asset_id, missing in lacking:
                # the stages after a missing one run again too: the index must see what OCR reads
                chain = REGISTRY.with_followers(missing)
                _requeue(session, asset_id, version_id, chain, found.get(asset_id, Audience()))
            queued += len(lacking)
    return queued


def rerun_stages(*, stages: Collection[str], asset_ids: Collection[uuid.UUID] | None = None) -> int:
    """Run `stages` (and the stages after them) again on the current version of these assets, or of
    every asset; the assets stay as they are (ready, searchable) meanwhile. Returns how many."""
    _known(stages)
    chain = REGISTRY.with_followers(stages)
    queued = 0
    after: uuid.UUID | None = None
    while True:
        with session_scope() as session:
            stmt = select(Asset.id, Asset.current_version_id).where(col(Asset.current_version_id).is_not(None))
            if asset_ids is not None:
                stmt = stmt.where(col(Asset.id).in_(list(asset_ids)))
            if after is not None:
                stmt = stmt.where(col(Asset.id) > after)
            batch = session.exec(stmt.order_by(col(Asset.id)).limit(BACKFILL_BATCH)).all()
            if not batch:
                return queued
            after = batch[-1][0]
            found = audiences(session=session, asset_ids=[aid for aid, _ in batch])
            for asset_id, version_id in batch:
                assert version_id is not None
                _requeue(session, asset_id, version_id, chain, found.get(asset_id, Audience()))
            queued += len(batch)


def rerun_for(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, stages: Collection[str] = ("ocr",)
) -> tuple[str, ...]:
    """An editor asks for an asset's stages to run again (from its page or the API): checked like any
    edit, queued once this transaction commits. Returns the stages that will run."""
    principal.require("asset.write")
    asset = assets_service.visible_asset(session, principal, asset_id)
    _known(stages)
    if asset.current_version_id is None:
        raise NothingToRerun()
    chain = REGISTRY.with_followers(stages)
    _requeue(session, asset.id, asset.current_version_id, chain, Audience.of(asset))
    return chain


def _requeue(
    session: Session, asset_id: uuid.UUID, version_id: uuid.UUID, stages: Collection[str], audience: Audience
) -> None:
    """These stages of the version back to queued, and its job queued once the transaction commits."""
    processing_service.requeue_stages(session=session, asset_id=asset_id, version_id=version_id, stages=stages)
    on_commit(session, _enqueuer(version_id, asset_id, audience))


def _known(stages: Collection[str]) -> None:
    unknown = [name for name in stages if REGISTRY.get(name) is None]
    if unknown:
        raise UnknownStage(unknown)


def _enqueuer(version_id: uuid.UUID, asset_id: uuid.UUID, audience: Audience) -> Callable[[], object]:
    return lambda: enqueue_processing(version_id=version_id, asset_id=asset_id, audience=audience)


def _versions_after(session: Session, after: uuid.UUID | None) -> list[tuple[uuid.UUID, uuid.UUID, set[str]]]:
    stages = func.array_remove(func.array_agg(JobRun.stage), None)
    stmt = (
        select(Version.id, Version.asset_id, stages)
        .outerjoin(JobRun, col(JobRun.version_id) == col(Version.id))
        .group_by(col(Version.id), col(Version.asset_id))
        .order_by(col(Version.id))
        .limit(BACKFILL_BATCH)
    )
    if after is not None:
        stmt = stmt.where(col(Version.id) > after)
    return [(vid, aid, set(have or ())) for vid, aid, have in session.exec(stmt).all()]
