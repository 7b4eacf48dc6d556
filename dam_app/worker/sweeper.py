"""Queue again the processing that the database says is pending but that no queue job will run.

The stage rows are the record; the Redis job is only the means. Redis may restart without its data
(a flush, a lost volume, a new server) or be unreachable when an upload commits, and the worker may
die so often that RQ gives up. Then the rows still say queued, running or "failed, retry due", and
nothing would ever touch the version. The worker calls `sweep()` at start and every
SWEEP_INTERVAL_S (worker/run.py); `dam reindex` calls it too. It lives with the worker because it
composes the assets domain's jobs with the generic stage rows.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, not_, or_
from sqlmodel import Session, col, select

from dam_app.assets import jobs as asset_jobs
from dam_app.assets import pipeline
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.events import Audience
from dam_app.fields import utcnow
from dam_app.processing.models import JobRun, JobStatus
from dam_app.processing.service import processing_job_id
from dam_app.stages import REGISTRY
from dam_app.worker import queues

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 30
# The enqueue runs right after the upload's commit: a younger version may still be on its way.
MIN_AGE_S = 10.0


@dataclass(frozen=True)
class PendingVersion:
    version_id: uuid.UUID
    asset_id: uuid.UUID
    exhausted: bool  # a stage started max_attempts times and never finished: its worker died each time
    queue: str = queues.DEFAULT_QUEUE  # where its next stage runs
    audience: Audience = field(default_factory=Audience)


@dataclass(frozen=True)
class SweepResult:
    requeued: int = 0
    given_up: int = 0
    unreachable: bool = False  # Redis was down: try again next time


def max_attempts() -> int:
    return get_settings().job_retries + 1


def pending_versions(*, session: Session, min_age_s: float = MIN_AGE_S) -> list[PendingVersion]:
    """Versions with a stage still to run (queued, running, or failed with attempts left) and none
    that failed for good (its last attempt used: the asset shows "failed" and nothing runs again)."""
    limit = max_attempts()
    status, attempts = col(JobRun.status), col(JobRun.attempts)
    to_run = or_(status.in_((JobStatus.QUEUED, JobStatus.RUNNING)), and_(status == JobStatus.FAILED, attempts < limit))
    rows = session.exec(
        select(
            JobRun.version_id,
            JobRun.asset_id,
            func.bool_or(and_(status == JobStatus.RUNNING, attempts >= limit)),
            func.array_agg(JobRun.stage).filter(status == JobStatus.SUCCEEDED),  # which queue comes next
        )
        .where(col(JobRun.version_id).in_(select(JobRun.version_id).where(to_run)))  # the status index
        .group_by(col(JobRun.version_id), col(JobRun.asset_id))
        .having(
            func.bool_or(to_run),
            not_(func.bool_or(and_(status == JobStatus.FAILED, attempts >= limit))),
            func.min(JobRun.created_at) < utcnow() - timedelta(seconds=min_age_s),
        )
        .order_by(func.min(JobRun.created_at))
    ).all()
    found = asset_jobs.audiences(session=session, asset_ids={row[1] for row in rows})
    return [
        PendingVersion(
            version_id,
            asset_id,
            bool(exhausted),
            asset_jobs.next_queue_after(set(done or ())),
            found.get(asset_id, Audience()),
        )
        for version_id, asset_id, exhausted, done in rows
    ]


def sweep(*, min_age_s: float = MIN_AGE_S) -> SweepResult:
    """Queue every pending version whose queue job is gone or finished; give up on exhausted ones."""
    with session_scope() as session:
        pending = pending_versions(session=session, min_age_s=min_age_s)
    requeued = given_up = 0
    try:
        for item in pending:
            jobs = {kind: processing_job_id(item.version_id, kind) for kind in REGISTRY.queues()}
            states = {kind: queues.job_state(job_id, kind) for kind, job_id in jobs.items()}
            if any(state in queues.ACTIVE_STATES for state in states.values()):
                continue
            for kind, state in states.items():
                if state is not None:  # failed, finished or lost: its id is free for a fresh job
                    queues.forget_job(jobs[kind], kind)
            if item.exhausted:
                _give_up(item)
                given_up += 1
            elif (
                asset_jobs.enqueue_processing(
                    version_id=item.version_id, asset_id=item.asset_id, audience=item.audience, queue=item.queue
                )
                is None
            ):
                return SweepResult(requeued, given_up, unreachable=True)
            else:
                requeued += 1
    except queues.QueueUnavailable:
        return SweepResult(requeued, given_up, unreachable=True)
    if requeued or given_up:
        log.warning("sweeper: queued %d versions the queue had lost; gave up on %d", requeued, given_up)
    return SweepResult(requeued, given_up)


def _give_up(item: PendingVersion) -> None:
    with session_scope() as session:
        pipeline.abandon(session=session, version_id=item.version_id, attempts=max_attempts())
