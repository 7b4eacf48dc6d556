"""The live feed on a real Redis: which tabs watch what, one lease holder at a time, a stream that a
new holder resumes, and a fan-out that tells only the tabs whose viewer may see the asset."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.events import Audience, StageChanged, VersionAdded
from dam_app.ui.state import live
from dam_app.worker import feed, queues
from tests.concurrency import run_async

ASSET, VERSION, OLDER, UPLOADER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture
def redis(services: dict[str, str]) -> Iterator[None]:
    """No watcher, lease, cursor or stream entry left by another test."""
    client = queues.connection()
    doomed = [*client.scan_iter("dam:live:*"), queues.EVENT_STREAM]
    client.delete(*doomed)
    yield
    client.delete(*client.scan_iter("dam:live:*"))


def _scope(markets: set[str], *, user: uuid.UUID | None = None, all_regions: bool = False) -> dict[str, Any]:
    return live.scope_of(
        Principal(
            user_id=user or uuid.uuid4(),
            email="v@example.com",
            role="viewer",
            permissions=frozenset({"asset.read"}),
            region_codes=frozenset(markets),
            all_regions=all_regions,
        )
    )


def _version(markets: tuple[str, ...]) -> VersionAdded:
    return VersionAdded(
        asset_id=ASSET,
        version_id=VERSION,
        label="v1.1",
        previous_version_id=OLDER,
        by="Mei",
        note="40% OFF now",
        audience=Audience(markets, UPLOADER),
    )


def test_a_tab_watches_one_topic_at_a_time(redis) -> None:
    async def scenario() -> tuple[list[str], list[str], list[str]]:
        await feed.watch("tab-1", events.asset_topic(ASSET), _scope({"JP"}))
        await feed.watch("tab-2", events.asset_topic(ASSET), _scope({"JP"}))
        await feed.watch("tab-1", events.FIREHOSE, _scope({"JP"}))  # tab 1 went back to the library
        on_asset = [w.token for w in await feed.watchers(events.asset_topic(ASSET))]
        on_lists = [w.token for w in await feed.watchers(events.FIREHOSE)]
        nowhere = [w.token for w in await feed.watchers(events.asset_topic(uuid.uuid4()))]
        return on_asset, on_lists, nowhere

    on_asset, on_lists, nowhere = run_async(scenario())
    assert on_asset == ["tab-2"] and on_lists == ["tab-1"] and nowhere == []


def test_a_tab_whose_record_expired_is_dropped_from_its_topic(redis) -> None:
    async def scenario() -> list[str]:
        await feed.watch("gone", events.FIREHOSE, _scope({"EU"}))
        await feed.watch("here", events.FIREHOSE, _scope({"EU"}))
        queues.connection().delete("dam:live:tab:gone")  # its 12 h expired
        return [w.token for w in await feed.watchers(events.FIREHOSE)]

    assert run_async(scenario()) == ["here"]
    assert queues.connection().zrange("dam:live:watchers:events", 0, -1) == [b"here"]


def test_one_lease_holder_at_a_time_and_a_release_hands_over_at_once(redis) -> None:
    async def scenario() -> list[bool]:
        held = [
            await feed.hold_lease("a"),
            await feed.hold_lease("b"),
            await feed.hold_lease("a"),  # renewing one's own lease
        ]
        await feed.release_lease("b")  # b cannot release a's lease
        held.append(await feed.hold_lease("b"))
        await feed.release_lease("a")
        held.append(await feed.hold_lease("b"))
        return held

    assert run_async(scenario()) == [True, False, True, False, True]
    ttl = int(queues.connection().ttl("dam:live:leader"))  # type: ignore[arg-type]
    assert 0 < ttl <= feed.LEASE_SECONDS


def test_the_stream_is_read_from_where_the_last_holder_stopped(redis) -> None:
    async def scenario() -> tuple[list[str], list[str], str]:
        start = await feed.resume_point()
        events.publish(_version(("JP",)))
        events.publish(StageChanged(asset_id=ASSET, version_id=VERSION, stage="all", status="ready"))
        first = await feed.read(start, block_ms=500)
        await feed.save_resume_point(first[0][0])  # the holder handled the first, then stopped
        resumed = await feed.read(await feed.resume_point(), block_ms=500)
        return [p["type"] for _, p in first], [p["type"] for _, p in resumed], start

    first, resumed, start = run_async(scenario())
    assert first == ["version_added", "stage_changed"] and resumed == ["stage_changed"]
    assert int(start.split("-")[0]) / 1000 == pytest.approx(time.time() - feed.STALE_EVENT_SECONDS, abs=5)


def test_a_cursor_older_than_a_minute_is_not_replayed(redis) -> None:
    stale = int((time.time() - 3600) * 1000)
    queues.connection().set("dam:live:cursor", f"{stale}-0")
    point = run_async(feed.resume_point())
    assert int(point.split("-")[0]) > stale + 3000 * 1000


class _Tab:
    """A tab's root state as `modify_state` yields it; `get_state(LiveState)` gives its live part."""

    def __init__(self) -> None:
        self.live = SimpleNamespace(_notices=[], _handler="state.library_state.on_live", _asked_at=0.0)

    async def get_state(self, cls: type) -> Any:
        return self.live


class _App:
    """What fan_out uses of rx.App: modify_state per token, the token manager's connected check,
    and the namespace's emit_update (each tab's sent events are recorded)."""

    def __init__(self, connected: set[str]) -> None:
        self.tabs: dict[str, _Tab] = {}
        self.sent: dict[str, list[str]] = {}
        self.event_namespace = SimpleNamespace(_token_manager=self, emit_update=self.emit_update)
        self._connected = connected

    async def emit_update(self, update: Any, token: str) -> None:
        self.sent.setdefault(token, []).extend(event.name for event in update.events)

    async def is_token_connected(self, token: str) -> bool:
        return token in self._connected

    @contextlib.asynccontextmanager
    async def modify_state(self, token: Any) -> AsyncIterator[_Tab]:
        tab = self.tabs.setdefault(token.ident, _Tab())
        yield tab


def test_fan_out_tells_only_connected_tabs_whose_viewer_may_see_the_asset(redis) -> None:
    app = _App(connected={"jp-asset", "jp-list", "eu-list", "uploader", "admin"})

    async def scenario() -> tuple[int, int]:
        await feed.watch("jp-asset", events.asset_topic(ASSET), _scope({"JP"}))
        await feed.watch("jp-list", events.FIREHOSE, _scope({"JP"}))
        await feed.watch("eu-list", events.FIREHOSE, _scope({"EU"}))  # may not see a Japan-only asset
        await feed.watch("uploader", events.FIREHOSE, _scope({"EU"}, user=UPLOADER))  # their own upload
        await feed.watch("admin", events.FIREHOSE, _scope(set(), all_regions=True))
        await feed.watch("closed", events.FIREHOSE, _scope({"JP"}))  # its socket is gone
        told = await live.fan_out(app, _version(("JP",)))  # type: ignore[arg-type]
        running = StageChanged(
            asset_id=ASSET, version_id=VERSION, stage="media", status="running", audience=Audience(("JP",))
        )
        told_running = await live.fan_out(app, running)  # type: ignore[arg-type]
        return told, told_running

    told, told_running = run_async(scenario())
    assert told == 4 and sorted(app.tabs) == ["admin", "jp-asset", "jp-list", "uploader"]
    notice = app.tabs["jp-list"].live._notices[-1]
    assert (notice.kind, notice.label, notice.by, notice.note) == ("version_added", "v1.1", "Mei", "40% OFF now")
    assert notice.previous_version_id == str(OLDER) and notice.at == pytest.approx(time.time(), abs=5)
    # a single stage's progress goes to the asset's own page, not to the lists
    assert told_running == 1 and app.sent["jp-list"] == ["state.library_state.on_live"]  # its page's handler
    # the asset page has not run its handler since the first event: the second is only kept for it
    assert len(app.sent["jp-asset"]) == 1
    # both kept: the page's handler may run once for the two, and the new version still gets its toast
    assert [n.kind for n in app.tabs["jp-asset"].live._notices] == ["version_added", "stage_changed"]
    assert [n.is_new_version for n in app.tabs["jp-asset"].live._notices] == [True, False]


def test_a_tab_is_asked_again_once_its_handler_read_the_news(redis) -> None:
    app = _App(connected={"jp-asset"})
    running = StageChanged(
        asset_id=ASSET, version_id=VERSION, stage="media", status="running", audience=Audience(("JP",))
    )

    async def scenario() -> list[str]:
        await feed.watch("jp-asset", events.asset_topic(ASSET), _scope({"JP"}))
        await live.fan_out(app, _version(("JP",)))  # type: ignore[arg-type]
        await live.fan_out(app, running)  # type: ignore[arg-type]  # kept, not asked: the handler is due
        fresh = await live.news(app.tabs["jp-asset"], 0.0)  # type: ignore[arg-type]  # the handler runs
        await live.fan_out(app, running)  # type: ignore[arg-type]
        return [n.kind for n in fresh]

    assert run_async(scenario()) == ["version_added", "stage_changed"]
    assert len(app.sent["jp-asset"]) == 2
