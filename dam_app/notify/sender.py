"""Sending through Apprise, one channel per thread: a slow or dead channel holds one thread until
its timeout, never the other people's alerts.

Apprise waits `request_rate_per_sec` (Slack 1.2 s, some services ~5.5 s) between two sends of the
same plugin object. Each send here uses a fresh object and a drain sends each channel at most once
(several alerts for one channel in one round go as one message), so that wait never applies; the
retry backoff (config `alert_retry_delays`) is what keeps a rate-limited service from being hammered.
Measured (benchmarks/alerts.py): a dead channel timing out does not change the others' latency.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass

import apprise

from dam_app.config import get_settings
from dam_app.errors import Invalid
from dam_app.notify.message import Message

_APPRISE_LOGGER = logging.getLogger("apprise")


class BadChannelUrl(Invalid):
    """A URL that Apprise does not read as any notification service."""


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str = ""


class _ThreadLog(logging.Handler):
    """Apprise explains a failure only in its log: keep the lines this thread wrote."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and record.levelno >= logging.WARNING:
            self.lines.append(record.getMessage())


@contextmanager
def _captured() -> Iterator[_ThreadLog]:
    handler = _ThreadLog()
    _APPRISE_LOGGER.addHandler(handler)
    level = _APPRISE_LOGGER.level
    if level == logging.NOTSET or level > logging.WARNING:
        _APPRISE_LOGGER.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        _APPRISE_LOGGER.removeHandler(handler)


def _asset() -> apprise.AppriseAsset:
    # In memory: no persistent store written under the worker's home; synchronous in this thread.
    return apprise.AppriseAsset(storage_mode="memory", async_mode=False)


def validate(url: str) -> str:
    """The URL's scheme when Apprise can send to it, else BadChannelUrl saying so."""
    url = url.strip()
    if not url or not apprise.Apprise(asset=_asset()).add(url):
        scheme = url.partition("://")[0] if "://" in url else ""
        hint = f"'{scheme}://' is not a notification service Apprise knows" if scheme else "it has no scheme://"
        raise BadChannelUrl(
            f"not an Apprise notification URL ({hint}); examples: slack://TokenA/TokenB/TokenC, "
            "json://host/path, mailto://user:pass@example.com, ntfy://topic"
        )
    return url.partition("://")[0].lower()


def send(url: str, message: Message) -> SendResult:
    """One message to one channel, with the configured timeouts; never raises."""
    timeout = get_settings().alert_timeout_s
    with _captured() as log:
        try:
            ap = apprise.Apprise(asset=_asset())
            if not ap.add(url):
                return SendResult(False, "not an Apprise notification URL")
            for server in ap:
                server.request_rate_per_sec = 0
                server.socket_connect_timeout = timeout
                server.socket_read_timeout = timeout
            ok = bool(ap.notify(title=message.title, body=message.body))
        except Exception as exc:  # a plugin raising: a failed send, recorded like any other
            return SendResult(False, f"{type(exc).__name__}: {exc}"[:2000])
    if ok:
        return SendResult(True)
    return SendResult(False, ("; ".join(dict.fromkeys(log.lines)) or "the service refused the message")[:2000])


Job = tuple[str, Message]


def send_all(jobs: Sequence[Job], *, on_done: Callable[[int, SendResult], None] | None = None) -> list[SendResult]:
    """Send each (url, message) in the thread pool; `on_done(index, result)` as each finishes."""
    if not jobs:
        return []
    results: list[SendResult] = [SendResult(False)] * len(jobs)
    workers = min(len(jobs), get_settings().alert_send_threads)
    with ThreadPoolExecutor(workers, thread_name_prefix="alert") as pool:
        futures = {pool.submit(send, url, message): i for i, (url, message) in enumerate(jobs)}
        for future in as_completed(futures):  # recorded as each ends: a slow one delays nobody's status
            i = futures[future]
            results[i] = future.result()
            if on_done is not None:
                on_done(i, results[i])
    return results
