"""UI handlers keep the event loop free: blocking work runs in threads, a busy database is retried."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc

from dam_app.ui.state import offload
from tests.concurrency import run_async


class _Banner(SimpleNamespace):
    """Stands in for a state: remembers every banner it was given."""

    def __init__(self) -> None:
        super().__init__(busy_message="", shown=[])

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "busy_message" and hasattr(self, "shown"):
            self.shown.append(value)
        super().__setattr__(name, value)


def _failing(errors: list[BaseException], result: str = "done") -> Any:
    calls: list[int] = []

    def fn() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    fn.calls = calls  # type: ignore[attr-defined]
    return fn


def test_blocking_work_leaves_the_loop_free() -> None:
    """While one handler's query runs, the loop goes on serving others (here: a ticker)."""

    async def scenario() -> int:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(tick())
        await offload.call(_Banner(), time.sleep, 0.3)
        ticker.cancel()
        return ticks

    assert run_async(scenario()) >= 10


def test_a_busy_database_is_retried_then_the_banner_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offload, "PAUSE_S", 0)
    state = _Banner()
    fn = _failing([sa_exc.TimeoutError()] * offload.TRIES)
    with pytest.raises(offload.ServerBusy):
        run_async(offload.call(state, fn))
    assert len(fn.calls) == offload.TRIES
    assert state.shown[0] == "Server busy, retrying…"
    assert state.busy_message.startswith("Server busy:")


def test_a_database_back_after_a_retry_clears_the_banner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offload, "PAUSE_S", 0)
    state = _Banner()
    fn = _failing([sa_exc.OperationalError("SELECT 1", {}, Exception("connection refused"))])
    assert run_async(offload.call(state, fn)) == "done"
    assert state.shown == ["Database unavailable, retrying…", ""]


def test_other_database_errors_are_not_retried() -> None:
    fn = _failing([sa_exc.IntegrityError("INSERT", {}, Exception("duplicate key"))])
    with pytest.raises(sa_exc.IntegrityError):
        run_async(offload.call(_Banner(), fn))
    assert len(fn.calls) == 1


def test_guarded_handlers_stop_quietly_when_the_database_stays_busy() -> None:
    trouble = offload.ServerBusy(offload.db.Unavailable("server busy: test", 1, "busy"))

    @offload.guarded
    async def single(_state: object) -> str:
        raise trouble

    @offload.guarded
    async def stream(_state: object) -> Any:
        yield "first"
        raise trouble

    async def drain() -> list[Any]:
        return [event async for event in stream(None)]

    assert run_async(single(None)) is None
    assert run_async(drain()) == ["first"]
    with pytest.raises(TypeError, match="must be async"):
        offload.guarded(lambda _state: None)
