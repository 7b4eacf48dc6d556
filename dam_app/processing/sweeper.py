"""Queue again the processing that the database says is pending but that no queue job will run.

The stage rows are the record; the Redis job is only the means. Redis may restart without its data
(a flush, a lost volume, a new server) or be unreachable when an upload commits, and the worker may
die so often that RQ gives up. Then the rows still say queued, running or "failed, retry due", and
nothing would ever touch the version. The worker calls `sweep()` at start and every
SWEEP_INTERVAL_S (worker/run.py); `dam reindex` calls it too.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, not_, or_
from sqlmodel import Session, col, select

from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.fields import utcnow
from dam_app.processing.models import JobRun, JobStatus
from dam_app.processing.service import enqueue_processing, processing_job_id

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 30
# The enqueue runs right after the upload's commit: a younger version may still be on its way.
MIN_AGE_S = 10.0


@dataclass(frozen=True)
class PendingVersion:
    version_id: uuid.UUID
    asset_id: uuid.UUID
    exhausted: bool  # a stage started max_attempts times and never finished: its worker died each time


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
        select(JobRun.version_id, JobRun.asset_id, func.bool_or(and_(status == JobStatus.RUNNING, attempts >= limit)))
        .where(col(JobRun.version_id).in_(select(JobRun.version_id).where(to_run)))  # the status index
        .group_by(col(JobRun.version_id), col(JobRun.asset_id))
        .having(
            func.bool_or(to_run),
            not_(func.bool_or(and_(status == JobStatus.FAILED, attempts >= limit))),
            func.min(JobRun.created_at) < utcnow() - timedelta(seconds=min_age_s),
        )
        .order_by(func.min(JobRun.created_at))
    ).all()
    return [PendingVersion(version_id, asset_id, bool(exhausted)) for version_id, asset_id, exhausted in rows]


def sweep(*, min_age_s: float = MIN_AGE_S) -> SweepResult:
    """Queue every pending version whose queue job is gone or finished; give up on exhausted ones."""
    from dam_app.worker import queues

    with session_scope() as session:
        pending = pending_versions(session=session, min_age_s=min_age_s)
    requeued = given_up = 0
    try:
        for item in pending:
            job_id = processing_job_id(item.version_id)
            state = queues.job_state(job_id)
            if state in queues.ACTIVE_STATES:
                continue
            if state is not None:
                queues.forget_job(job_id)  # failed, finished or lost: its id is free for a fresh job
            if item.exhausted:
                _give_up(item)
                given_up += 1
            elif enqueue_processing(version_id=item.version_id, asset_id=item.asset_id) is None:
                return SweepResult(requeued, given_up, unreachable=True)
            else:
                requeued += 1
    except queues.QueueUnavailable:
        return SweepResult(requeued, given_up, unreachable=True)
    if requeued or given_up:
        log.warning("sweeper: queued %d versions the queue had lost; gave up on %d", requeued, given_up)
    return SweepResult(requeued, given_up)


def _give_up(item: PendingVersion) -> None:
    from dam_app.assets import pipeline

    with session_scope() as session:
        pipeline.abandon(session=session, version_id=item.version_id, attempts=max_attempts())
