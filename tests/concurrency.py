"""Helpers for concurrency tests: run a coroutine beside Playwright's loop, hold a row lock from
another transaction, and tell whether a call finished without waiting."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import text

from dam_app.db import session_scope

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on a thread of its own: the browser tests' Playwright keeps an event loop running on
    the main thread for the whole session, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@contextmanager
def row_locked(table: str, row_id: uuid.UUID) -> Iterator[None]:
    """Another transaction holds `table`'s row `row_id` FOR UPDATE while the block runs."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with session_scope() as session:
            session.execute(text(f"SELECT 1 FROM {table} WHERE id = :id FOR UPDATE"), {"id": row_id})
            holding.set()
            release.wait(10)

    locker = threading.Thread(target=hold)
    locker.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        release.set()
        locker.join()


def finishes_within(seconds: float, fn: Callable[[], object]) -> bool:
    """Run `fn` on a thread; whether it returned within `seconds` (it may not wait for a lock)."""
    done = threading.Event()

    def call() -> None:
        fn()
        done.set()

    threading.Thread(target=call, daemon=True).start()
    return done.wait(seconds)
