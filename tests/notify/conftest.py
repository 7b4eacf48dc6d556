"""Fixtures of the alert tests: the local receivers of tests/notify/receivers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notify.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver, use_fast_retries


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
