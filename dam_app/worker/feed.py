"""The Redis side of live updates in open browsers (ui/live.py is the Reflex side): which tab watches
which topic, the lease that makes exactly one web process the feed, and the event stream that feed
reads from where the last holder left off.

One reader per deployment, not one subscription per tab: 50 open tabs cost one Redis connection and
each event is read once, then sent to the tabs that watch it (DESIGN.md's one-subscriber recipe).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis as AsyncRedis

from dam_app.config import get_settings
from dam_app.worker.queues import EVENT_STREAM

LEASE_SECONDS = 10  # a feed that stops renewing is replaced this long after
TAB_SECONDS = 12 * 3600  # a tab not seen again for this long is forgotten (closed without a goodbye)
STALE_EVENT_SECONDS = 60  # a new holder does not replay older events: the pages it would update reloaded since
_LEADER = "dam:live:leader"
_CURSOR = "dam:live:cursor"


def _watchers_key(topic: str) -> str:
    return f"dam:live:watchers:{topic}"


def _tab_key(token: str) -> str:
    return f"dam:live:tab:{token}"


_clients: dict[int, AsyncRedis] = {}


def _client() -> AsyncRedis:
    """One client per event loop (a Reflex worker has one; tests may run several in turn)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(id(loop))
    if client is None:
        client = AsyncRedis.from_url(get_settings().require_redis_url(), health_check_interval=30)
        _clients.clear()  # a client belongs to the loop that made it: drop those of ended loops
        _clients[id(loop)] = client
    return client


@dataclass(frozen=True)
class Watcher:
    token: str  # the browser tab (Reflex client token)
    scope: dict[str, Any]  # who is looking, as `watch` stored it: the feed drops what they may not see
    handler: str = ""  # the page's event handler that the feed runs in the tab (Reflex's event name)


async def watch(token: str, topic: str, scope: dict[str, Any], handler: str = "") -> None:
    """The tab now shows `topic` (one asset's page, or a list that follows the firehose) and wants
    `handler` run when it changes; a tab watches one topic at a time, so moving to another page stops
    the last one."""
    client = _client()
    key = _tab_key(token)
    previous = await cast("Awaitable[bytes | None]", client.hget(key, "topic"))
    pipe = client.pipeline(transaction=True)
    if previous is not None and previous.decode() != topic:
        pipe.zrem(_watchers_key(previous.decode()), token)
    pipe.hset(key, mapping={"topic": topic, "scope": json.dumps(scope), "handler": handler})
    pipe.expire(key, TAB_SECONDS)
    pipe.zadd(_watchers_key(topic), {token: time.time()})
    await pipe.execute()


async def watchers(topic: str) -> list[Watcher]:
    """The tabs watching `topic` now; tabs forgotten long ago are dropped on the way."""
    client = _client()
    key = _watchers_key(topic)
    await client.zremrangebyscore(key, "-inf", time.time() - TAB_SECONDS)
    tokens = [t.decode() for t in await client.zrange(key, 0, -1)]
    if not tokens:
        return []
    pipe = client.pipeline(transaction=False)
    for token in tokens:
        pipe.hmget(_tab_key(token), ["topic", "scope", "handler"])
    found: list[Watcher] = []
    for token, (tab_topic, scope, handler) in zip(tokens, await pipe.execute(), strict=True):
        if tab_topic is None or tab_topic.decode() != topic:  # moved on or expired: tidy up
            await client.zrem(key, token)
            continue
        found.append(Watcher(token, json.loads(scope), handler.decode() if handler else ""))
    return found


async def hold_lease(holder: str) -> bool:
    """Take the feed's lease, or renew it if `holder` has it; False while another process holds it."""
    client = _client()
    if await client.set(_LEADER, holder, nx=True, ex=LEASE_SECONDS):
        return True
    current = await client.get(_LEADER)
    if current is not None and current.decode() == holder:
        await client.expire(_LEADER, LEASE_SECONDS)
        return True
    return False


async def release_lease(holder: str) -> None:
    """Give the lease up at shutdown so another process takes over at once, not in LEASE_SECONDS."""
    client = _client()
    current = await client.get(_LEADER)
    if current is not None and current.decode() == holder:
        await client.delete(_LEADER)


async def resume_point() -> str:
    """Where the new holder starts reading: after the last event its predecessor handled, unless
    that is older than STALE_EVENT_SECONDS (then from now)."""
    client = _client()
    cursor = await client.get(_CURSOR)
    oldest_useful = int((time.time() - STALE_EVENT_SECONDS) * 1000)
    if cursor is not None and int(cursor.decode().split("-")[0]) >= oldest_useful:
        return str(cursor.decode())
    return f"{oldest_useful}-0"


async def read(after: str, *, block_ms: int = 1000, count: int = 200) -> list[tuple[str, dict[str, Any]]]:
    """The events after stream id `after` (waits up to `block_ms` for the first), oldest first."""
    reply = await _client().xread({EVENT_STREAM: after}, block=block_ms, count=count)
    entries: list[tuple[str, dict[str, Any]]] = []
    for _stream, items in reply or ():
        for entry_id, fields in items:
            try:
                payload = json.loads(fields[b"m"])
            except (KeyError, ValueError):
                payload = {}
            entries.append((entry_id.decode(), payload))
    return entries


async def save_resume_point(entry_id: str) -> None:
    await _client().set(_CURSOR, entry_id, ex=24 * 3600)
