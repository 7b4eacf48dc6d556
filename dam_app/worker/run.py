"""Start an RQ worker on the dam queue with everything heavy imported before it forks.

Between jobs (and every `sweep_every` seconds while idle) the worker also re-queues processing that
Redis lost (`worker.sweeper`) and removes temp files of dead processes; at start first of all.
"""

from __future__ import annotations

import logging
import time
from types import FrameType

from redis import RedisError
from rq import SimpleWorker, Worker
from rq.exceptions import StopRequested
from rq.worker import BaseWorker

import dam_app.assets.jobs  # noqa: F401  (the pipeline and every table, loaded before the worker forks)
from dam_app.assets.metadata import start_exiftool
from dam_app.config import get_settings
from dam_app.db import dispose_engines, get_engine
from dam_app.notify import jobs as alert_jobs
from dam_app.rights import jobs as rights_jobs
from dam_app.search.embeddings import warm_for_forking as warm_embeddings
from dam_app.stages import REGISTRY
from dam_app.storage import tempfiles
from dam_app.tagging.language import warm_for_forking as warm_language_models
from dam_app.worker import queues, sweeper
from dam_app.worker.sweeper import SWEEP_INTERVAL_S

log = logging.getLogger(__name__)
MAX_PAUSE_S = 30.0


class _DamWorker(BaseWorker):
    """The sweep in RQ's maintenance step, and a record of whether the loop ended on request."""

    stop_signalled = False

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        maintain(self.maintenance_interval)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signalled = True
        super().request_stop(signum, frame)

    def request_force_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signalled = True
        super().request_force_stop(signum, frame)


class SweepingWorker(_DamWorker, Worker):
    """RQ's forking worker: each job in a child process."""


class SweepingSimpleWorker(_DamWorker, SimpleWorker):
    """Jobs in this process (tests, debugging)."""


def run_worker(
    *, burst: bool = False, simple: bool = False, alerts_only: bool = False, sweep_every: int = SWEEP_INTERVAL_S
) -> bool:
    """Work until stopped. RQ ends its loop when Redis goes away at the wrong moment (between two
    jobs); then the loop starts again here once Redis answers, instead of the process exiting.

    `alerts_only`: a light worker on the alert queue alone, jobs in its own process (a drain sends
    in threads), so an alert never waits for a rendering the main worker is busy with; the main
    worker takes alerts too, first of its queues, when this one is not running."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    kinds = (alert_jobs.ALERT_QUEUE,) if alerts_only else (alert_jobs.ALERT_QUEUE, *REGISTRY.queues())
    if not alerts_only:
        _warm_up()

    settings = get_settings()
    settings.require_database_url()
    worker_class = SweepingSimpleWorker if simple or alerts_only else SweepingWorker
    pause = 1.0
    while True:
        worker: _DamWorker | None = None
        worked = False
        try:
            worker = worker_class(
                # alerts first (a drain is short and someone waits for it), then every queue a stage runs on
                [queues.queue(kind) for kind in kinds],
                connection=queues.connection(),
                name=None,
                maintenance_interval=sweep_every,
                # An idle worker wakes from its blocking dequeue every `worker_ttl - 15` s: that is when
                # the maintenance (and so the sweep) can run.
                worker_ttl=sweep_every + 15,
            )
            queues.requeue_abandoned(kinds=kinds)
            started = time.monotonic()
            worked = bool(worker.work(burst=burst, with_scheduler=True, logging_level="INFO"))
            if time.monotonic() - started > 2 * MAX_PAUSE_S:
                pause = 1.0
        except RedisError as exc:
            log.warning("Redis unreachable (%s)", exc)
        except StopRequested:
            return worked
        if burst or (worker is not None and worker.stop_signalled):
            return worked
        log.warning("worker loop ended without a stop request; starting it again in %.0f s", pause)
        try:
            time.sleep(pause)
        except StopRequested:  # SIGTERM while pausing (RQ's handler is still installed)
            return worked
        pause = min(MAX_PAUSE_S, pause * 2)


def maintain(interval_s: float) -> None:
    """Sweep lost jobs and stale temp files; a failure (Redis or the database down) waits for the next turn."""
    try:
        tempfiles.sweep_stale(get_settings().tmp_dir)
        with queues.sole("sweep") as alone:  # two workers sweeping at once would queue a version twice
            if alone:
                sweeper.sweep()
        with queues.sole("verdict-sweep") as alone:  # verdicts unjudged or past their date (rights/jobs.py)
            if alone:
                rights_jobs.sweep()
        with queues.sole("alert-sweep") as alone:  # alerts whose drain job Redis lost (notify/jobs.py)
            if alone:
                alert_jobs.sweep()
    except StopRequested:  # SIGTERM while sweeping: RQ's warm shutdown goes on
        raise
    except Exception as exc:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        log.warning("sweep failed (%s: %s); next try in %.0f s", type(exc).__name__, first_line, interval_s)
        log.debug("sweep failure", exc_info=True)
    finally:
        dispose_engines()  # this parent forks every job: it must hold no connection a child would share


def _warm_up() -> None:
    """Pay start-up costs once in the parent so each forked job starts hot (measured: benchmarks/ingest.py)."""
    # Third-party imports here, not at the top: they cost start-up time only a running worker needs.
    import av  # noqa: F401
    from PIL import Image
    from sqlalchemy.orm import configure_mappers

    Image.init()
    configure_mappers()
    get_engine()  # imports the driver (~200 ms); opens no connection, so forks share none
    start_exiftool()
    warm_embeddings()
    warm_language_models()
