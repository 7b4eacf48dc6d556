"""What `dam status` reports: can we reach the database and Redis, how deep is the queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from dam_app.db import session_scope
from dam_app.processing import service as processing_service
from dam_app.worker import queues


def collect_status() -> dict[str, Any]:
    report: dict[str, Any] = {}
    try:
        with session_scope() as session:
            report["database"] = "ok " + str(session.execute(text("SHOW server_version")).scalar())
            report["assets"] = session.execute(text("SELECT count(*) FROM assets")).scalar()
            report["stages"] = processing_service.counts_by_status(session=session)
            report["failed_stages"] = [
                {"asset_id": str(f.asset_id), "stage": f.stage, "attempts": f.attempts, "error": f.error}
                for f in processing_service.failed_stages(session=session)
            ]
    except Exception as exc:
        report["database"] = f"unreachable: {exc}"
    try:
        q = queues.stats()
        report["redis"] = "ok"
        report["queue_depth"] = q.queued
        report["running_jobs"] = q.started
        report["failed_jobs"] = q.failed
        report["workers"] = q.workers
    except Exception as exc:
        report["redis"] = f"unreachable: {exc}"
    return report
