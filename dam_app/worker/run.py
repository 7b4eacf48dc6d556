"""Start an RQ worker on the dam queue with everything heavy imported before it forks."""

from __future__ import annotations

import logging

from rq import SimpleWorker, Worker

from dam_app.config import get_settings
from dam_app.worker import queues


def run_worker(*, burst: bool = False, simple: bool = False) -> bool:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    _warm_up()

    settings = get_settings()
    settings.require_database_url()
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([queues.queue()], connection=queues.connection(), name=None)
    queues.requeue_abandoned()
    return bool(worker.work(burst=burst, with_scheduler=True, logging_level="INFO"))


def _warm_up() -> None:
    """Pay start-up costs once in the parent so each forked job starts hot (measured: benchmarks/ingest.py)."""
    import av  # noqa: F401
    from PIL import Image
    from sqlalchemy.orm import configure_mappers

    import dam_app.assets.jobs  # noqa: F401  (pipeline, models)
    from dam_app.assets.metadata import start_exiftool
    from dam_app.db import get_engine
    from dam_app.search.embeddings import warm_for_forking as warm_embeddings

    Image.init()
    configure_mappers()
    get_engine()  # imports the driver (~200 ms); opens no connection, so forks share none
    start_exiftool()
    warm_embeddings()
