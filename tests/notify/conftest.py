"""Fixtures of the alert tests: the local receivers of tests/notify/receivers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dam_app.notify import jobs
from tests.notify.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver, use_fast_retries


@pytest.fixture(autouse=True)
def drains_by_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests drain the outbox themselves (`jobs.drain()`). A drain job queued on commit would let
    the session's worker, which serves the alerts queue too, claim the rows (SKIP LOCKED) and send them
    while the test's own drain passes them by and asserts too early."""
    monkeypatch.setattr(jobs, "drain_soon", lambda: None)


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as state:
        yield state


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as state:
        yield state


@pytest.fixture
def fast_retries(services: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_retries(monkeypatch)
