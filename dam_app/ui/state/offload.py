"""Blocking work for UI event handlers: off the event loop, retried while the database is busy.

Reflex runs every handler of a web worker on one event loop, so a query run inline freezes every
browser that worker serves. Handlers pass plain values to a module-level function that opens its
own `session_scope()`; `call` runs it in a thread. When the database is overloaded or away
(`db.unavailable`), the page's banner says so and the call is tried again; after the last try the
banner stays up and `ServerBusy` ends the handler, which `guarded` turns into a quiet stop.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from reflex.istate.proxy import StateProxy
from reflex.state import BaseState
from reflex_base.event.processor.base_state_processor import chain_updates
from sqlalchemy.exc import SQLAlchemyError

from dam_app import db

TRIES = 3
PAUSE_S = 1.0
RETRYING = {"busy": "Server busy, retrying…", "down": "Database unavailable, retrying…"}
GUARDED = "_offload_guarded"  # marks a handler wrapped by `guarded` (tests/ui checks every DB handler)

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class ServerBusy(Exception):
    """The database stayed unavailable through every try; the banner already says so."""

    def __init__(self, trouble: db.Unavailable) -> None:
        super().__init__(trouble.message)
        self.trouble = trouble


async def call(state: Any, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker thread; `state.busy_message` tells the page while it retries."""
    for attempt in range(1, TRIES + 1):
        try:
            result = await asyncio.to_thread(fn, *args, **kwargs)
        except SQLAlchemyError as exc:
            trouble = db.unavailable(exc)
            if trouble is None:
                raise
            if attempt == TRIES:
                await show(state, trouble.message[:1].upper() + trouble.message[1:] + ".")
                raise ServerBusy(trouble) from exc
            await show(state, RETRYING.get(trouble.kind, RETRYING["busy"]), now=True)
            await asyncio.sleep(PAUSE_S)
        else:
            await show(state, "")
            return result
    raise AssertionError("unreachable")  # the loop returns or raises


async def show(state: Any, message: str, *, now: bool = False) -> None:
    """Set the banner. `now`: send it before the handler ends, so it is seen during the pause."""
    if state.busy_message == message:
        return
    if isinstance(state, StateProxy) and not state._is_mutable():
        async with state:  # a background handler outside `async with self`: leaving it sends the change
            state.busy_message = message
        return
    state.busy_message = message
    if now and isinstance(state, BaseState):
        # A foreground handler holds its state until it ends; this is what its `yield` would do.
        await chain_updates(None, handler_name="offload.show", root_state=state._get_root_state())


def guarded(handler: F) -> F:
    """Wrap an async event handler so that `ServerBusy` stops it quietly, leaving the banner up."""
    if inspect.isasyncgenfunction(handler):

        @functools.wraps(handler)
        async def stream(*args: Any, **kwargs: Any) -> Any:
            try:
                async for event in handler(*args, **kwargs):
                    yield event
            except ServerBusy:
                return

        wrapper: Callable[..., Any] = stream
    elif inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def single(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except ServerBusy:
                return None

        wrapper = single
    else:
        raise TypeError(f"{handler.__qualname__}: a handler that touches the database must be async")
    setattr(wrapper, GUARDED, True)
    return cast(F, wrapper)
