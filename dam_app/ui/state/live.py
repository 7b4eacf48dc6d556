"""Live updates in every open browser, without a reload (worker/feed.py is the Redis side).

A page says what it shows and which of its handlers to run (`follow`: one asset's topic, or the
firehose for lists). One web process at a time holds the feed's lease (`run_feed`, a lifespan task of
every web worker): it reads each event once from the stream, finds the tabs that watch its topic and
may see its asset, and sends each tab an event that runs its page's handler with the notices as its
argument (the way a background task's `yield` does), so the page needs no extra read of its own
state to learn what happened. A tab is told at most every COALESCE_S (PROGRESS_S for stage progress
alone); what lands in between comes together in the next event. Nothing is polled, and no tab holds
a Redis connection of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx
from redis.exceptions import RedisError
from reflex.state import StateUpdate
from reflex_base.event import Event as ClientEvent
from reflex_base.event import EventHandler, EventSpec
from reflex_base.utils.format import format_event_handler
from sqlalchemy.exc import SQLAlchemyError

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.ui import routes
from dam_app.ui.state.notices import KEPT, Notice, news, notice_of
from dam_app.ui.state.session import principals_of_users
from dam_app.worker import feed

__all__ = ["Notice", "fan_out", "follow", "news", "notice_of", "run_feed", "version_toast"]  # notices re-exported

log = logging.getLogger(__name__)
COALESCE_S = 0.25  # a tab is told at most this often; what lands in between arrives in one event
PROGRESS_S = 1.0  # ... and of stage progress alone at most this often (a stage row moves a second late)
REMEMBERED_TABS = 4096  # past this many, tabs not told within PROGRESS_S are forgotten
SCOPE_TTL_S = 30.0  # a viewer's markets and role are re-read this often (the watch's copy may be 12 h old)
FAN_OUT = 16  # tabs updated at once: enough that 50 watchers take one round trip or three, not fifty


def scope_of(principal: Principal) -> dict[str, Any]:
    """What the feed keeps of a viewer to decide, for each event, whether they may see it."""
    return {
        "user": str(principal.user_id) if principal.user_id else "",
        "all": principal.all_regions,
        "markets": sorted(principal.visible_markets),
        "read": principal.can("asset.read"),
    }


def _viewer(scope: dict[str, Any]) -> Principal:
    """A principal with only what `events.visible_to` reads, rebuilt from `scope_of`."""
    return Principal(
        user_id=uuid.UUID(scope["user"]) if scope.get("user") else None,
        email="",
        role="",
        permissions=frozenset({"asset.read"}) if scope.get("read") else frozenset(),
        region_codes=frozenset(scope.get("markets") or ()),
        all_regions=bool(scope.get("all")),
    )


def follows_firehose(event: events.Event) -> bool:
    """Whether lists (library, search) hear of the event: new versions, edits and finished
    processing; every single stage is for the asset's own page only."""
    if isinstance(event, (events.CommentMentioned, events.CommentAdded, events.CardChanged, events.CardMentioned)):
        return False
    return not isinstance(event, events.StageChanged) or event.settled


async def follow(state: rx.State, topic: str, principal: Principal | None, on_live: EventHandler) -> None:
    """This tab now shows `topic`, and `on_live` is to run when it changes; best effort: without
    Redis the page works, only not live."""
    if principal is None:
        return
    try:
        await feed.watch(state.router.session.client_token, topic, scope_of(principal), format_event_handler(on_live))
    except (RedisError, OSError):
        log.warning("live updates unavailable for this tab", exc_info=True)


def version_toast(notice: Notice, title: str) -> EventSpec:
    """ "v1.2 by Mei, with her change note": shown in every open tab that shows the asset."""
    said = f"{notice.label} of {title} by {notice.by or 'someone'}"
    toast_id = f"version-{notice.version_id}"
    if notice.previous_version_id:
        compare = routes.compare_url(notice.asset_id, notice.previous_version_id, notice.version_id)
        return rx.toast.info(
            said,
            description=notice.note or "No change note.",
            id=toast_id,
            duration=12000,
            action={"label": "Compare", "on_click": rx.redirect(compare)},
        )
    return rx.toast.info(said, description=notice.note or "New asset.", id=toast_id, duration=12000)


class Scopes:
    """What each viewer may see now, re-read from the database at most every SCOPE_TTL_S (all the
    viewers due in one query): someone whose markets were taken away, or who was deactivated, stops
    hearing of those assets within that time, although their tab's watch (and the scope it stored)
    lives 12 h."""

    def __init__(self, load: Callable[[list[str]], dict[str, Principal]] = principals_of_users) -> None:
        self._load = load
        self._read: dict[str, tuple[float, dict[str, Any] | None]] = {}

    async def current(self, watchers: list[feed.Watcher]) -> list[dict[str, Any] | None]:
        """Each watcher's viewer's scope now (None: gone, deactivated, or the database is away)."""
        now = time.monotonic()
        users = [str(w.scope.get("user") or "") for w in watchers]
        due = sorted({u for u in users if u and now - self._read.get(u, (float("-inf"), None))[0] >= SCOPE_TTL_S})
        if due:
            try:
                principals = await asyncio.to_thread(self._load, due)
            except SQLAlchemyError:
                return [None] * len(watchers)  # no live word until the database is back
            if len(self._read) > REMEMBERED_TABS:
                self._read = {u: read for u, read in self._read.items() if now - read[0] < SCOPE_TTL_S}
            for user in due:
                principal = principals.get(user)
                self._read[user] = (now, scope_of(principal) if principal is not None else None)
        return [self._read[u][1] if u else None for u in users]


async def _recipients(event: events.Event, scopes: Scopes) -> list[feed.Watcher]:
    """The tabs to tell: those on the asset's page, and lists when `follows_firehose`; each only
    if its viewer, as they are now, may see the asset."""
    found = await feed.watchers(event.topic)
    if follows_firehose(event):
        found += await feed.watchers(events.FIREHOSE)
    current = await scopes.current(found)
    return [w for w, scope in zip(found, current, strict=True) if scope and events.visible_to(event, _viewer(scope))]


Send = Callable[[str, str, list[Notice]], Awaitable[bool]]


@dataclass
class _Waiting:
    """A tab's notices held for its next event, and when that event is due."""

    handler: str
    notices: list[Notice]
    due: float


class Mailboxes:
    """On the feed's leader, per tab: when it was last told, and the notices waiting for the next
    event. The first notice goes out at once; then a tab is told at most every COALESCE_S of news a
    person waits for (a new version, an edit, the end of processing) and every PROGRESS_S of stage
    progress alone: a version's ten stages, told to fifty tabs, would otherwise keep the web server
    busy running handlers while the next version's badge waits behind them."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._told_at: dict[str, float] = {}
        self._waiting: dict[str, _Waiting] = {}
        self._timers: set[asyncio.Task[None]] = set()

    async def post(self, token: str, handler: str, notice: Notice) -> bool:
        now = time.monotonic()
        due = self._told_at.get(token, float("-inf")) + (PROGRESS_S if notice.is_stage_progress else COALESCE_S)
        waiting = self._waiting.get(token)
        if waiting is not None:  # the page the tab shows now names the handler; the latest KEPT notices
            waiting.handler, waiting.notices = handler, [*waiting.notices, notice][-KEPT:]
            if due >= waiting.due:
                return True
            waiting.due = due  # news that should not wait for the progress window: the earlier timer sends
        elif due <= now:
            return await self._deliver(token, handler, [notice])
        else:
            waiting = self._waiting[token] = _Waiting(handler, [notice], due)
        timer = asyncio.create_task(self._later(token, waiting, due))
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)
        return True

    async def _later(self, token: str, waiting: _Waiting, due: float) -> None:
        """Send what waits once `due` comes, unless an earlier timer has sent it meanwhile."""
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        if self._waiting.get(token) is not waiting or waiting.due != due:
            return
        del self._waiting[token]
        try:
            await self._deliver(token, waiting.handler, waiting.notices)
        except Exception as exc:
            log.warning("live update to a tab failed: %s", exc)

    async def _deliver(self, token: str, handler: str, notices: list[Notice]) -> bool:
        now = time.monotonic()
        if len(self._told_at) > REMEMBERED_TABS:
            self._told_at = {t: at for t, at in self._told_at.items() if now - at < PROGRESS_S}
        self._told_at[token] = now
        return await self._send(token, handler, notices)


def sender(app: rx.App) -> Send:
    """Run `handler` in the tab with the notices as its argument, as a background task's `yield` does."""

    async def send(token: str, handler: str, notices: list[Notice]) -> bool:
        namespace = app.event_namespace
        if namespace is None:
            return False
        payload = {"notices": [n.as_payload() for n in notices]}
        await namespace.emit_update(StateUpdate(events=[ClientEvent(name=handler, payload=payload)]), token)
        return True

    return send


async def fan_out(
    app: rx.App, event: events.Event, mailboxes: Mailboxes | None = None, scopes: Scopes | None = None
) -> int:
    """Tell every recipient tab (through the leader's `mailboxes`); returns how many were told."""
    notice = notice_of(event, time.time())
    connected = _connection_check(app)
    boxes = mailboxes or Mailboxes(sender(app))
    gate = asyncio.Semaphore(FAN_OUT)

    async def tell(watcher: feed.Watcher) -> bool:
        async with gate:
            if not watcher.handler or not await connected(watcher.token):
                return False
            return await boxes.post(watcher.token, watcher.handler, notice)

    recipients = await _recipients(event, scopes or Scopes())
    told = await asyncio.gather(*(tell(w) for w in recipients), return_exceptions=True)
    for outcome in told:
        if isinstance(outcome, BaseException):
            log.warning("live update to a tab failed: %s", outcome)
    count = sum(1 for outcome in told if outcome is True)
    log.debug("live feed: %s on %s told %d tab(s)", event.type, event.topic, count)
    return count


def _connection_check(app: rx.App) -> Callable[[str], Any]:
    """Whether a token still has a socket on some web worker: a closed tab gets no state written
    for it. Reflex's own shared-state fan-out asks its token manager the same question."""
    manager = getattr(app.event_namespace, "_token_manager", None)
    check = getattr(manager, "is_token_connected", None)
    if check is None:

        async def assume_connected(token: str) -> bool:
            return True

        return assume_connected
    return check


async def run_feed(app: rx.App) -> None:
    """Hold the feed's lease (or wait for it) and hand each event to `fan_out`, for the life of
    the worker; a Redis outage pauses it, a restart resumes it where the last holder stopped."""
    holder = uuid.uuid4().hex
    try:
        while True:
            try:
                if await feed.hold_lease(holder):
                    await _lead(app, holder)
                await asyncio.sleep(feed.LEASE_SECONDS / 3)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live feed interrupted; retrying", exc_info=True)
                await asyncio.sleep(1.0)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.shield(feed.release_lease(holder))


async def _lead(app: rx.App, holder: str) -> None:
    """Read and fan out until the lease is lost (renewed every third of its length)."""
    after = await feed.resume_point()
    log.info("live feed: this web worker now sends live updates (from %s)", after)
    renewed = time.monotonic()
    mailboxes, scopes = Mailboxes(sender(app)), Scopes()
    while True:
        for entry_id, payload in await feed.read(after, block_ms=1000):
            event = events.from_payload(payload)
            if event is not None:
                await fan_out(app, event, mailboxes, scopes)
            after = entry_id
            await feed.save_resume_point(after)
        if time.monotonic() - renewed > feed.LEASE_SECONDS / 3:
            if not await feed.hold_lease(holder):
                return
            renewed = time.monotonic()
