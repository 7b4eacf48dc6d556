"""RQ entry points for assets: take ids, open a session, call the pipeline, return."""

from __future__ import annotations

import logging
import uuid

import dam_app.models  # noqa: F401  (every table, so foreign keys resolve in a fresh worker)
from dam_app.assets import pipeline
from dam_app.db import session_scope
from dam_app.worker import queues

log = logging.getLogger(__name__)


def process_version(version_id: str) -> str:
    retries_left = queues.current_job_retries_left()
    with session_scope() as session:
        try:
            return pipeline.process_version(
                session=session, version_id=uuid.UUID(version_id), final_attempt=not retries_left
            )
        except pipeline.VersionGone:
            log.info("version %s no longer exists; nothing to process", version_id)
            return "gone"
