"""Admission control for the API: a bounded number of requests at work, a bounded queue, the rest refused.

A request may hold a pooled connection only while it holds one of `slots` (API threads); uploads,
whose bodies may stream in slowly for minutes, take one of `upload_slots` instead, so slow uploads
never starve searches. The pool is sized to cover every slot (config.py), so no request ever waits
for a connection. A request that finds `max_in_flight` requests already admitted, or that waits
longer than `queue_timeout_s` for a slot, gets a fast 503 + Retry-After: 200 callers get answers or
refusals, never a hang.
"""

from __future__ import annotations

import asyncio
import json

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _busy_body(detail: str) -> bytes:
    return json.dumps({"detail": detail}).encode()


TOO_MANY = _busy_body("server busy: too many requests in flight; retry shortly")
QUEUED_TOO_LONG = _busy_body("server busy: the request waited too long for its turn; retry shortly")


class AdmissionLimit:
    """Pure ASGI middleware (no per-request task or body buffering, unlike BaseHTTPMiddleware)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_in_flight: int,
        slots: int,
        upload_slots: int,
        queue_timeout_s: float,
    ) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.slot_counts = {"request": slots, "upload": upload_slots}
        self.queue_timeout_s = queue_timeout_s
        self.in_flight = 0
        self._slots: dict[str, asyncio.Semaphore] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._slots:
            # The limiter of FastAPI's `def` routes lives on the running loop, so it is sized here.
            anyio.to_thread.current_default_thread_limiter().total_tokens = self.slot_counts["request"]
            self._slots = {kind: asyncio.Semaphore(count) for kind, count in self.slot_counts.items()}
        if self.in_flight >= self.max_in_flight:
            await _refuse(send, TOO_MANY)
            return
        slot = self._slots["upload" if _is_upload(scope) else "request"]
        self.in_flight += 1
        held = False
        try:
            try:
                await asyncio.wait_for(slot.acquire(), self.queue_timeout_s)
            except TimeoutError:
                await _refuse(send, QUEUED_TOO_LONG)
                return
            held = True

            async def send_and_free(message: Message) -> None:
                # The route and its database session are done once the response starts; a file that
                # then streams for minutes must not keep the slot.
                nonlocal held
                if message["type"] == "http.response.start" and held:
                    held = False
                    slot.release()
                await send(message)

            await self.app(scope, receive, send_and_free)
        finally:
            if held:
                slot.release()
            self.in_flight -= 1


def _is_upload(scope: Scope) -> bool:
    if scope.get("method") != "POST":
        return False
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    return content_type.startswith(b"multipart/form-data")


async def _refuse(send: Send, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", b"1"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
