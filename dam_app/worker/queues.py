"""Queue, retry policy and live-event publishing over Redis; nothing else imports redis or rq."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redis import Redis, RedisError
from redis.exceptions import ResponseError
from rq import Queue, Retry, get_current_job
from rq.registry import FailedJobRegistry, StartedJobRegistry

from dam_app.config import get_settings

log = logging.getLogger(__name__)
FIREHOSE = "events"  # the topic every event also goes to (lists and feeds that follow many assets)
EVENT_STREAM = "dam:stream:events"  # every event, kept for the live feed (worker/feed.py)
EVENT_STREAM_LENGTH = 10_000  # about the last few minutes of a busy day's events
# Queues are named by kind; "default" is the configured queue name, another kind gets its own queue.
DEFAULT_QUEUE = "default"
HEAVY_QUEUE = "heavy"  # long work per file (reading text, transcoding): a fresh upload's previews never wait on it
# A job in one of these states will still run; in any other (or absent) it never will by itself.
ACTIVE_STATES = frozenset({"queued", "started", "scheduled", "deferred"})


class QueueUnavailable(RuntimeError):
    """Redis cannot be reached (down, restarting): nothing was queued."""


@lru_cache(maxsize=4)
def _connection(url: str) -> Redis:
    return Redis.from_url(url, health_check_interval=30)


def connection() -> Redis:
    return _connection(get_settings().require_redis_url())


def queue_name(kind: str = DEFAULT_QUEUE) -> str:
    base = get_settings().queue_name
    return base if kind == DEFAULT_QUEUE else f"{base}:{kind}"


def queue(kind: str = DEFAULT_QUEUE) -> Queue:
    return Queue(queue_name(kind), connection=connection())


def enqueue(
    func: Callable[..., Any],
    *args: Any,
    job_id: str | None = None,
    timeout: int = 600,
    queue_kind: str = DEFAULT_QUEUE,
) -> str:
    """Enqueue with retries and backoff; a deterministic job_id makes repeats collapse into one job."""
    settings = get_settings()
    retries = settings.job_retries
    try:
        job = queue(queue_kind).enqueue(
            func,
            *args,
            job_id=job_id,
            retry=Retry(max=retries, interval=settings.job_retry_delays[:retries] or [5]) if retries else None,
            job_timeout=timeout,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError as exc:
        raise QueueUnavailable(f"the job queue cannot be reached: {exc}") from exc
    return str(job.id)


def enqueue_or_run(func: Callable[..., Any], *args: Any, job_id: str, timeout: int = 600) -> None:
    """For work that must happen even with the queue down (a saved policy taking effect, a pin placed):
    enqueued, or else run on a thread of this process, not cut off when it exits."""
    try:
        enqueue(func, *args, job_id=job_id, timeout=timeout)
    except Exception:
        log.warning("queue unreachable; running %s in this process", job_id, exc_info=True)
        threading.Thread(target=func, args=args, name=job_id, daemon=False).start()


def job_state(job_id: str, kind: str = DEFAULT_QUEUE) -> str | None:
    """What the queue knows of a job: None when it holds no such job, "lost" when the job says queued
    but sits in no queue (a partial restore), else RQ's status ("queued", "failed", ...)."""
    try:
        q = queue(kind)
        job = q.fetch_job(job_id)
        if job is None:
            return None
        status = job.get_status(refresh=False)
        state = str(getattr(status, "value", status))
        if state == "queued" and job.origin == q.name and not _in_queue(q, job_id):
            return "lost"
        return state
    except RedisError as exc:
        raise QueueUnavailable(f"the job queue cannot be reached: {exc}") from exc


def _in_queue(q: Queue, job_id: str) -> bool:
    try:
        return q.connection.lpos(q.key, job_id) is not None
    except ResponseError:  # LPOS needs Redis 6.0.6; without it, trust the status
        return True


def forget_job(job_id: str, kind: str = DEFAULT_QUEUE) -> None:
    """Delete a job that will never run again (failed, finished, lost) and its registry entries, so
    the same id can be queued afresh."""
    try:
        job = queue(kind).fetch_job(job_id)
        if job is not None:
            job.delete()
    except RedisError as exc:
        raise QueueUnavailable(f"the job queue cannot be reached: {exc}") from exc


@contextmanager
def sole(name: str, *, seconds: int = 300) -> Iterator[bool]:
    """Yield True when no other process holds the lock `name` (then hold it), False otherwise. The
    lock expires by itself after `seconds` should its holder die; otherwise it goes on exit."""
    key = f"dam:lock:{name}"
    try:
        held = bool(connection().set(key, "1", nx=True, ex=max(1, seconds)))
    except RedisError as exc:
        raise QueueUnavailable(f"the job queue cannot be reached: {exc}") from exc
    try:
        yield held
    finally:
        if held:
            with suppress(RedisError):
                connection().delete(key)


def channel(topic: str) -> str:
    """The Redis pub/sub channel of a topic (`dam_app.events` names the topics)."""
    return f"dam:{topic}"


def publish(topic: str, payload: dict[str, Any]) -> None:
    """Best-effort live update: a lost event only delays a browser's refresh, never loses data.
    The pub/sub channels are for outside listeners (a script, `redis-cli subscribe dam:events`)."""
    message = json.dumps({"topic": topic, **payload}, default=str)
    try:
        pipe = connection().pipeline(transaction=False)
        pipe.publish(channel(FIREHOSE), message)
        pipe.publish(channel(topic), message)
        # Also kept a while in a stream: the web process's live feed reads it from where it left off,
        # so a feed that changes hands (feed.py's lease) misses nothing.
        pipe.xadd(EVENT_STREAM, {"m": message}, maxlen=EVENT_STREAM_LENGTH, approximate=True)
        pipe.execute()
    except Exception:
        log.warning("could not publish live event on %s", topic, exc_info=True)


@dataclass(frozen=True)
class QueueStats:
    queued: int
    started: int
    failed: int
    workers: int
    failed_jobs: list[tuple[str, str]]


def stats(*, failed_limit: int = 10) -> QueueStats:
    from rq import Worker

    q = queue()
    failed = FailedJobRegistry(queue=q)
    failed_jobs: list[tuple[str, str]] = []
    for job_id in failed.get_job_ids(0, failed_limit - 1):
        job = q.fetch_job(job_id)
        reason = ""
        if job is not None:
            result = job.latest_result()
            reason = (result.exc_string or "").strip().splitlines()[-1] if result and result.exc_string else ""
        failed_jobs.append((job_id, reason))
    return QueueStats(
        queued=q.count,
        started=StartedJobRegistry(queue=q).count,
        failed=failed.count,
        workers=len(Worker.all(queue=q)),
        failed_jobs=failed_jobs,
    )


def requeue_abandoned(*, before_timestamp: float | None = None, kinds: Iterable[str] = (DEFAULT_QUEUE,)) -> None:
    """Hand jobs of dead workers back to their queues (RQ retries them while retries are left)."""
    for kind in kinds:
        StartedJobRegistry(queue=queue(kind)).cleanup(timestamp=before_timestamp)


def current_job_retries_left() -> int:
    """Retries the running job still has (0 outside a worker): its last attempt marks failure."""
    job = get_current_job()
    return int(job.retries_left or 0) if job is not None else 0
