"""The live feed on a real Redis: which tabs watch what, one lease holder at a time, a stream that a
new holder resumes, and a fan-out that tells only the tabs whose viewer may see the asset."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.events import AssetChanged, Audience, CardChanged, StageChanged, VersionAdded
from dam_app.ui.state import live, notices
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


PEOPLE: dict[str, Principal] = {}  # the viewers as they are now, for live.Scopes (no database here)


def _scope(markets: set[str], *, user: uuid.UUID | None = None, all_regions: bool = False) -> dict[str, Any]:
    principal = Principal(
        user_id=user or uuid.uuid4(),
        email="v@example.com",
        role="viewer",
        permissions=frozenset({"asset.read"}),
        region_codes=frozenset(markets),
        all_regions=all_regions,
    )
    PEOPLE[str(principal.user_id)] = principal
    return live.scope_of(principal)


def _scopes() -> live.Scopes:
    return live.Scopes(load=lambda users: {u: PEOPLE[u] for u in users if u in PEOPLE})


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
    # A web server of this test session may be leading the feed: it would read these events and
    # move the cursor. Take the lease and wait until it has noticed (it checks every third of it).
    queues.connection().set("dam:live:leader", "this-test", ex=60)
    time.sleep(feed.LEASE_SECONDS / 3 + 1.5)

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


HANDLER = "state.library_state.on_live"


class _App:
    """What fan_out uses of rx.App: the token manager's connected check and the namespace's
    emit_update (each tab's events are recorded with their notices)."""

    def __init__(self, connected: set[str]) -> None:
        self.sent: dict[str, list[tuple[str, list[live.Notice]]]] = {}
        self.event_namespace = SimpleNamespace(_token_manager=self, emit_update=self.emit_update)
        self._connected = connected

    async def emit_update(self, update: Any, token: str) -> None:
        for event in update.events:
            self.sent.setdefault(token, []).append((event.name, live.news(event.payload["notices"], 0.0)))

    async def is_token_connected(self, token: str) -> bool:
        return token in self._connected


def test_fan_out_tells_only_connected_tabs_whose_viewer_may_see_the_asset(redis) -> None:
    app = _App(connected={"jp-asset", "jp-list", "eu-list", "uploader", "admin"})

    async def scenario() -> tuple[int, int]:
        await feed.watch("jp-asset", events.asset_topic(ASSET), _scope({"JP"}), HANDLER)
        await feed.watch("jp-list", events.FIREHOSE, _scope({"JP"}), HANDLER)
        await feed.watch("eu-list", events.FIREHOSE, _scope({"EU"}), HANDLER)  # may not see a Japan-only asset
        await feed.watch("uploader", events.FIREHOSE, _scope({"EU"}, user=UPLOADER), HANDLER)  # their own upload
        await feed.watch("admin", events.FIREHOSE, _scope(set(), all_regions=True), HANDLER)
        await feed.watch("closed", events.FIREHOSE, _scope({"JP"}), HANDLER)  # its socket is gone
        boxes, scopes = live.Mailboxes(live.sender(app)), _scopes()  # type: ignore[arg-type]
        told = await live.fan_out(app, _version(("JP",)), boxes, scopes)  # type: ignore[arg-type]
        await asyncio.sleep(live.PROGRESS_S + 0.05)
        running = StageChanged(
            asset_id=ASSET, version_id=VERSION, stage="media", status="running", audience=Audience(("JP",))
        )
        told_running = await live.fan_out(app, running, boxes, scopes)  # type: ignore[arg-type]
        return told, told_running

    told, told_running = run_async(scenario())
    assert told == 4 and sorted(app.sent) == ["admin", "jp-asset", "jp-list", "uploader"]
    ((handler, (notice,)),) = app.sent["jp-list"]  # the page's own handler, with what happened
    assert handler == HANDLER
    assert (notice.kind, notice.label, notice.by, notice.note) == ("version_added", "v1.1", "Mei", "40% OFF now")
    assert notice.previous_version_id == str(OLDER) and notice.at == pytest.approx(time.time(), abs=5)
    assert notice.is_new_version and not notice.is_stage_progress
    # a single stage's progress goes to the asset's own page, not to the lists
    assert told_running == 1 and [n.kind for _, (n,) in app.sent["jp-asset"]] == ["version_added", "stage_changed"]
    assert app.sent["jp-asset"][1][1][0].is_stage_progress


def test_a_burst_reaches_a_tab_at_once_then_in_one_event(redis) -> None:
    app = _App(connected={"jp-asset"})
    stages = [
        StageChanged(asset_id=ASSET, version_id=VERSION, stage=s, status="running", audience=Audience(("JP",)))
        for s in ("metadata", "media", "renditions")
    ]

    async def scenario() -> list[list[str]]:
        await feed.watch("jp-asset", events.asset_topic(ASSET), _scope({"JP"}), HANDLER)
        boxes, scopes = live.Mailboxes(live.sender(app)), _scopes()  # type: ignore[arg-type]
        await live.fan_out(app, _version(("JP",)), boxes, scopes)  # type: ignore[arg-type]
        first = [[n.kind for n in notices] for _, notices in app.sent["jp-asset"]]
        for stage in stages:
            await live.fan_out(app, stage, boxes, scopes)  # type: ignore[arg-type]
        assert len(app.sent["jp-asset"]) == 1  # the rest waits for the end of the progress window
        await asyncio.sleep(live.COALESCE_S + 0.1)
        assert len(app.sent["jp-asset"]) == 1  # progress alone waits longer than news
        await asyncio.sleep(live.PROGRESS_S - live.COALESCE_S)
        return first + [[n.stage for n in notices] for _, notices in app.sent["jp-asset"][1:]]

    assert run_async(scenario()) == [["version_added"], ["metadata", "media", "renditions"]]


def test_a_new_version_does_not_wait_behind_stage_progress(redis) -> None:
    app = _App(connected={"jp-asset"})
    progress = StageChanged(asset_id=ASSET, version_id=VERSION, stage="ocr", status="done", audience=Audience(("JP",)))

    async def scenario() -> tuple[list[list[str]], float]:
        await feed.watch("jp-asset", events.asset_topic(ASSET), _scope({"JP"}), HANDLER)
        boxes, scopes = live.Mailboxes(live.sender(app)), _scopes()  # type: ignore[arg-type]
        await live.fan_out(app, _version(("JP",)), boxes, scopes)  # type: ignore[arg-type]
        await live.fan_out(app, progress, boxes, scopes)  # type: ignore[arg-type]  # waits up to PROGRESS_S
        started = time.monotonic()
        await live.fan_out(app, _version(("JP",)), boxes, scopes)  # type: ignore[arg-type]  # the next version
        while len(app.sent["jp-asset"]) < 2:
            await asyncio.sleep(0.01)
        waited = time.monotonic() - started
        await asyncio.sleep(live.PROGRESS_S)  # the progress timer finds nothing left to send
        return [[n.kind for n in notices] for _, notices in app.sent["jp-asset"]], waited

    told, waited = run_async(scenario())
    assert told == [["version_added"], ["stage_changed", "version_added"]]  # the progress rides along, once
    assert waited < live.PROGRESS_S - 0.3  # sent after the news window (0.25 s), not the progress one (1 s)


def test_notices_coming_back_from_the_browser_are_checked() -> None:
    good = live.notice_of(_version(("JP",)), 100.0).as_payload()
    carried: list[Any] = [good, {**good, "at": 50.0}, {"kind": "x", "at": "soon"}, "junk", {"unknown": 1, "at": 120.0}]
    assert [n.at for n in live.news(carried, 60.0)] == [100.0, 120.0]  # newer than the last read, sorted
    assert live.news("not a list", 0.0) == []  # type: ignore[arg-type]


def test_a_viewer_whose_markets_were_taken_away_hears_nothing_more(redis, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _App(connected={"was-jp"})
    monkeypatch.setattr(live, "SCOPE_TTL_S", 0.0)  # re-read the viewer at every event

    async def scenario() -> tuple[int, int]:
        scope = _scope({"JP"})
        await feed.watch("was-jp", events.asset_topic(ASSET), scope, HANDLER)
        scopes = _scopes()
        before = await live.fan_out(app, _version(("JP",)), None, scopes)  # type: ignore[arg-type]
        PEOPLE[scope["user"]] = replace(PEOPLE[scope["user"]], region_codes=frozenset({"EU"}))
        after = await live.fan_out(app, _version(("JP",)), None, scopes)  # type: ignore[arg-type]
        return before, after

    assert run_async(scenario()) == (1, 0)


def test_notices_are_capped_and_repeats_dropped() -> None:
    one = live.notice_of(_version(("JP",)), 100.0).as_payload()
    flood = [{**one, "at": 100.0 + i} for i in range(100)] + [one, one]
    kept = live.news(flood, 0.0)
    assert len(kept) <= notices.KEPT and len({n.at for n in kept}) == len(kept)
    assert live.news([{**one, "asset_id": ["not", "a", "string"]}, {**one, "at": float("nan")}], 0.0) == []


def test_what_processing_produces_is_told_apart_from_a_persons_edit() -> None:
    def changed(*names: str) -> live.Notice:
        return live.notice_of(AssetChanged(asset_id=ASSET, fields=names, audience=Audience(("JP",))), 1.0)

    assert changed("verdicts").is_derived_change and changed("comparison", "verdicts").is_derived_change
    assert not changed("title", "verdicts").is_derived_change  # a person's edit is read at once
    assert not changed().is_derived_change and not changed("rights").is_derived_change
    assert live.news([changed("verdicts").as_payload()], 0.0)[0].fields == "verdicts"  # survives the round trip


def test_a_board_move_reaches_the_boards_open_tabs_whose_viewer_may_see_the_card(redis) -> None:
    board, card = uuid.uuid4(), uuid.uuid4()
    app = _App(connected={"cn-board", "eu-board", "cn-asset"})
    moved = CardChanged(
        board_id=board, card_id=card, change="moved", phase="peak", status="in_review", revision=3, by="Mei",
        audience=Audience(("CN",)),
    )  # fmt: skip

    async def scenario() -> int:
        await feed.watch("cn-board", events.board_topic(board), _scope({"CN"}), HANDLER)
        await feed.watch("eu-board", events.board_topic(board), _scope({"EU"}), HANDLER)  # not the card's markets
        await feed.watch("cn-asset", events.asset_topic(ASSET), _scope({"CN"}), HANDLER)  # another page
        return await live.fan_out(app, moved, live.Mailboxes(live.sender(app)), _scopes())  # type: ignore[arg-type]

    assert run_async(scenario()) == 1 and list(app.sent) == ["cn-board"]
    ((_, (notice,)),) = app.sent["cn-board"]
    assert (notice.kind, notice.board_id, notice.card_id, notice.label) == (
        "card_changed",
        str(board),
        str(card),
        "moved",
    )
    assert (notice.phase, notice.status, notice.revision, notice.by) == ("peak", "in_review", 3.0, "Mei")
    assert not live.follows_firehose(moved)  # lists do not hear of cards
    assert events.from_payload(events.to_payload(moved)) == moved  # the stream's round trip keeps it whole


def test_what_an_asset_page_reads_again_for() -> None:
    shown, older, unknown = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    known = {shown, older}

    def stage(version: str, status: str = "running") -> live.Notice:
        return live.notice_of(
            StageChanged(asset_id=ASSET, version_id=uuid.UUID(version), stage="ocr", status=status), 1.0
        )

    def concerns(notice: live.Notice, *, following: bool = True, processing: bool = False, new=None) -> bool:
        return notices.concerns_asset_page(
            notice, shown=shown, known=known, new_version=new, following=following, processing=processing
        )

    assert concerns(stage(shown)) and concerns(stage(shown, "ready"))
    assert not concerns(stage(older)) and not concerns(stage(older, "ready"))  # an older version: nothing shown
    assert concerns(stage(unknown))  # a version whose announcement the page missed: it reads itself
    assert concerns(stage(older), following=False)  # ?version=: the page shows the current one's stages too
    arriving = live.notice_of(_version(("JP",)), 1.0)
    assert concerns(stage(str(VERSION)), new=arriving) and not concerns(stage(shown), new=arriving)
    verdicts = live.notice_of(AssetChanged(asset_id=ASSET, fields=("verdicts",)), 1.0)
    edit = live.notice_of(AssetChanged(asset_id=ASSET, fields=("title",)), 1.0)
    assert not concerns(verdicts, processing=True) and not concerns(verdicts, new=arriving)  # read at the end
    assert concerns(verdicts) and concerns(verdicts, processing=True, following=False)
    assert concerns(edit, processing=True)  # a person's edit shows at once
