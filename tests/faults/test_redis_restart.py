"""Redis restarts and loses what it held: no upload's processing is lost for good.

The stage rows in PostgreSQL are the record of what is pending; the sweeper (worker start, then every
few seconds, and `dam reindex`) queues again what no Redis job holds any more. The worker itself
reconnects after Redis comes back, and an upload made while Redis is down is stored and processed later.
"""

from __future__ import annotations

from tests.conftest import WorkerProcess, ingest_path, session_worker_paused, wait_until_processed
from tests.faults.conftest import log_tail


def test_jobs_lost_with_redis_are_queued_again_and_processed(services, embedded, admin, sample_files) -> None:
    from dam_app.processing.service import processing_job_id
    from dam_app.worker import queues

    with session_worker_paused():
        lost = ingest_path(admin, sample_files["png"])
        assert lost.ok and lost.version_id is not None
        job_id = processing_job_id(lost.version_id)
        assert queues.job_state(job_id) == "queued"
        embedded.stop_redis()
        embedded.start_redis()
        queues.connection().flushall()  # it came back empty: no persistence, a new volume, a flush
        assert queues.job_state(job_id) is None

        worker = WorkerProcess(services, ["--sweep-every", "1"])
        worker.start()
        try:
            assert lost.asset_id is not None
            assert wait_until_processed(lost.asset_id, timeout=60) == "ready", log_tail(worker.log_path)

            # Redis goes away under the running worker; an upload meanwhile is stored all the same.
            embedded.stop_redis()
            try:
                during = ingest_path(admin, sample_files["jpeg"])
                assert during.ok, during.message
            finally:
                embedded.start_redis()
            assert during.asset_id is not None
            assert wait_until_processed(during.asset_id, timeout=60) == "ready", log_tail(worker.log_path)
            assert worker.proc is not None and worker.proc.poll() is None, "the worker died instead of reconnecting"
            assert worker.log_path.read_text().count("versions the queue had lost") >= 2  # both by the sweeper
        finally:
            worker.stop()


def test_an_alert_whose_drain_job_redis_lost_is_still_sent(services, embedded) -> None:
    """The alert sits in the outbox table, committed with the version; Redis restarts empty before any
    worker drained it; an alerts worker started afterwards finds it (its sweep) and sends it."""
    from dam_app.worker import queues
    from tests.notify import helpers
    from tests.notify.receivers import http_receiver

    with session_worker_paused(), http_receiver() as receiver:
        uploader, watcher = helpers.person(), helpers.person()
        asset_id = helpers.asset()
        helpers.add_channel(watcher, receiver.url("json", "/after-restart"))
        helpers.watch(watcher, "asset", str(asset_id))
        helpers.new_version(uploader, asset_id, note="survives a Redis restart")
        embedded.stop_redis()
        embedded.start_redis()
        queues.connection().flushall()  # back empty: the drain job queued on commit is gone

        alerts = WorkerProcess(services, ["--alerts-only", "--sweep-every", "1"])
        alerts.start()
        try:
            received = receiver.wait_for(1, timeout=60)
            assert len(received) == 1, log_tail(alerts.log_path)
            assert "survives a Redis restart" in received[0].fields()["message"]
        finally:
            alerts.stop()
