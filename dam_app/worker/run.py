"""Start an RQ worker on the dam queue with everything heavy imported before it forks."""

from __future__ import annotations

import logging

from rq import SimpleWorker, Worker

from dam_app.config import get_settings
from dam_app.worker import queues


def run_worker(*, burst: bool = False, simple: bool = False) -> bool:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    # Import the pipeline (Pillow, PyAV, SQLAlchemy models) once in the parent so each fork is cheap.
    import dam_app.assets.jobs  # noqa: F401

    settings = get_settings()
    settings.require_database_url()
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([queues.queue()], connection=queues.connection(), name=None)
    queues.requeue_abandoned()
    return bool(worker.work(burst=burst, with_scheduler=True, logging_level="INFO"))
