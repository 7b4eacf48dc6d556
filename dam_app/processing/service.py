"""Bookkeeping for background stages: what is queued, running, done or failed, and why."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.fields import utcnow
from dam_app.processing.models import JobRun, JobStatus
from dam_app.processing.stages import DEFAULT_QUEUE

log = logging.getLogger(__name__)


def queue_stages(*, session: Session, asset_id: uuid.UUID, version_id: uuid.UUID, stages: Iterable[str]) -> None:
    """One queued row per stage (pass the registry's names, in order): the record of what is left to do."""
    for stage in stages:
        session.add(JobRun(asset_id=asset_id, version_id=version_id, stage=stage))


def requeue_stages(*, session: Session, asset_id: uuid.UUID, version_id: uuid.UUID, stages: Iterable[str]) -> None:
    """Run these stages of a version again (a re-tag): each row back to queued with a fresh retry
    budget, a missing one created. A stage that is running now is not touched: it will finish."""
    for stage in stages:
        stmt = insert(JobRun).values(
            asset_id=asset_id, version_id=version_id, stage=stage, status=JobStatus.QUEUED, attempts=0
        )
        session.execute(
            stmt.on_conflict_do_update(
                constraint="uq_job_runs_stage",
                set_={"status": JobStatus.QUEUED, "attempts": 0, "error": None, "duration_ms": None},
                where=col(JobRun.status) != JobStatus.RUNNING,
            )
        )


def pending(*, session: Session, stages: Iterable[str], asset_ids: Iterable[uuid.UUID] | None = None) -> int:
    """How many of these stages are still queued or running (of these assets): a re-tag's progress."""
    stmt = (
        select(func.count())
        .select_from(JobRun)
        .where(col(JobRun.stage).in_(list(stages)), col(JobRun.status).in_((JobStatus.QUEUED, JobStatus.RUNNING)))
    )
    if asset_ids is not None:
        stmt = stmt.where(col(JobRun.asset_id).in_(list(asset_ids)))
    return int(session.exec(stmt).one())


def processing_job_id(version_id: uuid.UUID, queue: str = DEFAULT_QUEUE) -> str:
    """One queue job per version and queue: a repeat collapses into it, and the sweeper can ask for it."""
    return f"process-{version_id}" if queue == DEFAULT_QUEUE else f"process-{version_id}-on-{queue}"


def stages_for(*, session: Session, version_id: uuid.UUID) -> list[JobRun]:
    """The version's stage rows in the order they were queued: the registry's order (rows a later
    `dam reindex` backfilled come last)."""
    return list(session.exec(select(JobRun).where(JobRun.version_id == version_id).order_by(col(JobRun.id))).all())


def note_stage(*, session: Session, version_id: uuid.UUID, stage: str, note: str) -> None:
    """A stage that succeeded without doing all it could says why, on its row (shown with the stages):
    "no viewing copy: the video could not be transcoded" is no reason to stop the stages after it."""
    session.execute(
        update(JobRun).where(col(JobRun.version_id) == version_id, col(JobRun.stage) == stage).values(error=note[:2000])
    )


@contextmanager
def track_stage(*, session: Session, run: JobRun) -> Iterator[None]:
    """Mark a stage running, then succeeded or failed with its error; each mark is committed."""
    run.status = JobStatus.RUNNING
    run.attempts += 1
    run.started_at = utcnow()
    run.error = None
    session.add(run)
    session.commit()
    started = time.perf_counter()
    try:
        yield
    except Exception as exc:
        session.rollback()
        run.status = JobStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    else:
        run.status = JobStatus.SUCCEEDED
    finally:
        run.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        run.finished_at = utcnow()
        session.add(run)
        session.commit()


@dataclass(frozen=True)
class FailedStage:
    asset_id: uuid.UUID
    version_id: uuid.UUID
    stage: str
    attempts: int
    error: str


def failed_stages(*, session: Session, limit: int = 20) -> list[FailedStage]:
    rows = session.exec(
        select(JobRun).where(JobRun.status == JobStatus.FAILED).order_by(col(JobRun.finished_at).desc()).limit(limit)
    ).all()
    return [FailedStage(r.asset_id, r.version_id, r.stage, r.attempts, r.error or "") for r in rows]


def counts_by_status(*, session: Session) -> dict[str, int]:
    rows = session.exec(select(JobRun.status, func.count()).group_by(JobRun.status)).all()
    return {status: count for status, count in rows}


def stage_timings(*, session: Session) -> dict[str, tuple[int, float, float]]:
    """Per stage: (runs, mean ms, p95 ms) over succeeded runs; the ingest benchmark prints these."""
    rows = session.exec(
        select(
            JobRun.stage,
            func.count(),
            func.avg(JobRun.duration_ms),
            func.percentile_cont(0.95).within_group(col(JobRun.duration_ms)),
        )
        .where(JobRun.status == JobStatus.SUCCEEDED)
        .group_by(JobRun.stage)
    ).all()
    return {stage: (int(n), float(mean or 0), float(p95 or 0)) for stage, n, mean, p95 in rows}
