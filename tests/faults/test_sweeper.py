"""The sweeper's decisions, on the real database and Redis: queue again what the queue lost, leave
alone what it still holds, and give up (visibly) on a version whose worker died on every attempt."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import ingest_path, session_worker_paused
from tests.faults.conftest import noise_png


def test_sweeper_requeues_lost_work_and_gives_up_on_exhausted_work(services, admin, tmp_path) -> None:
    from sqlmodel import select

    from dam_app.assets.models import Asset, Version
    from dam_app.db import session_scope
    from dam_app.fields import utcnow
    from dam_app.processing.models import JobRun, JobStatus
    from dam_app.processing.service import processing_job_id
    from dam_app.worker import queues
    from dam_app.worker.sweeper import max_attempts, sweep

    with session_worker_paused():
        results = []
        for name in ("lost.png", "held.png", "doomed.png"):
            (tmp_path / name).write_bytes(noise_png())
            results.append(ingest_path(admin, tmp_path / name))
        lost, held, doomed = results
        assert all(r.ok and r.version_id for r in results)
        assert sweep().requeued == 0  # too young: their enqueue may still be on its way
        with session_scope() as session:
            for run in session.exec(select(JobRun)):
                run.created_at = utcnow() - timedelta(minutes=5)
                if run.version_id == doomed.version_id and run.stage == "metadata":
                    run.status, run.attempts = JobStatus.RUNNING, max_attempts()  # killed every time
                session.add(run)
        queues.forget_job(processing_job_id(lost.version_id))
        queues.forget_job(processing_job_id(doomed.version_id))

        result = sweep()
        assert (result.requeued, result.given_up, result.unreachable) == (1, 1, False)
        assert queues.job_state(processing_job_id(lost.version_id)) == "queued"
        assert queues.job_state(processing_job_id(held.version_id)) == "queued"  # untouched
        assert sweep().requeued == 0  # now the queue holds it
        with session_scope() as session:
            asset = session.get(Asset, doomed.asset_id)
            version = session.get(Version, doomed.version_id)
            run = session.exec(
                select(JobRun).where(JobRun.version_id == doomed.version_id, JobRun.stage == "metadata")
            ).one()
        assert asset is not None and asset.status == "failed"
        assert version is not None and "WorkerLost" in (version.processing_error or "")
        assert run.status == "failed" and "worker stopped" in (run.error or "")
        assert queues.job_state(processing_job_id(doomed.version_id)) is None  # nothing runs it again
