"""Live events: topics named in one place, the audience inside each event, a viewer's filter, and
delivery only after the transaction commits (real Redis)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from dam_app import events, reactions
from dam_app.accounts.principal import Principal
from dam_app.db import get_engine
from dam_app.events import AssetChanged, Audience, StageChanged, VersionAdded
from dam_app.worker import queues
from tests.conftest import ingest_path, session_worker_paused

ASSET, VERSION, UPLOADER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _viewer(regions: set[str], *, user_id: uuid.UUID | None = None, all_regions: bool = False) -> Principal:
    return Principal(
        user_id=user_id or uuid.uuid4(),
        email="v@example.com",
        role="viewer",
        permissions=frozenset({"asset.read"}),
        region_codes=frozenset(regions),
        all_regions=all_regions,
        global_markets=frozenset({"GLOBAL"}),
    )


def _stage(markets: tuple[str, ...] = ("JP",)) -> StageChanged:
    return StageChanged(
        asset_id=ASSET, version_id=VERSION, stage="media", status="running", audience=Audience(markets, UPLOADER)
    )


def test_topics_are_built_in_one_place() -> None:
    assert events.asset_topic(ASSET) == f"assets:{ASSET}" == _stage().topic
    assert events.topics_for(ASSET) == [f"assets:{ASSET}"]
    assert events.topics_for() == [events.FIREHOSE] == ["events"]


def test_payload_carries_its_type_and_markets_and_round_trips() -> None:
    payload = events.to_payload(_stage(("JP", "NA")))
    assert payload["type"] == "stage_changed"
    assert (payload["version_id"], payload["stage"], payload["status"]) == (str(VERSION), "media", "running")
    assert payload["markets"] == ["JP", "NA"] and payload["created_by"] == str(UPLOADER)
    assert events.from_payload(json.loads(json.dumps(payload))) == _stage(("JP", "NA"))
    queued = StageChanged(asset_id=ASSET, version_id=VERSION, stage=events.ALL_STAGES, status="queued")
    assert not queued.settled and StageChanged(asset_id=ASSET, version_id=VERSION, stage="all", status="ready").settled
    edit = AssetChanged(asset_id=ASSET, fields=("title",), audience=Audience(("EU",)))
    assert events.from_payload(events.to_payload(edit)) == edit
    assert events.from_payload({}) is None and events.from_payload({"type": "nonsense"}) is None


def test_visible_to_follows_market_scope() -> None:
    event = _stage(("JP",))
    assert events.visible_to(event, _viewer({"JP"}))
    assert not events.visible_to(event, _viewer({"NA"}))
    assert events.visible_to(event, _viewer(set(), all_regions=True))  # an admin sees everything
    assert events.visible_to(event, _viewer({"NA"}, user_id=UPLOADER))  # one's own upload
    assert events.visible_to(_stage(("GLOBAL",)), _viewer({"NA"}))  # a global market is everyone's
    no_read = Principal(uuid.uuid4(), "x@example.com", "none", frozenset(), all_regions=True)
    assert not events.visible_to(event, no_read)


def _received(pubsub: Any, wait_s: float = 0.5) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
        if message:
            out.append(json.loads(message["data"]))
    return out


def test_publish_on_commit_sends_after_commit_and_never_after_rollback(services) -> None:
    pubsub = queues.connection().pubsub()
    pubsub.subscribe(queues.channel(events.asset_topic(ASSET)))
    try:
        _received(pubsub, 0.2)
        with Session(get_engine()) as session:
            session.execute(text("SELECT 1"))  # a transaction under way, as when a service changed rows
            reactions.publish_on_commit(session, _stage())
            assert _received(pubsub) == []
            session.commit()
            [payload] = _received(pubsub)
            assert payload["topic"] == f"assets:{ASSET}" and payload["markets"] == ["JP"]
            session.execute(text("SELECT 1"))
            reactions.publish_on_commit(session, _stage())
            session.rollback()
            session.commit()
            assert _received(pubsub) == []
            reactions.publish_on_commit(session, _stage())  # before any SQL of its transaction
            session.rollback()
            session.commit()
            assert _received(pubsub) == []
    finally:
        pubsub.close()


def test_an_upload_announces_its_version_and_queue_to_its_markets(services, admin, sample_files) -> None:
    pubsub = queues.connection().pubsub()
    pubsub.subscribe(queues.channel(events.FIREHOSE))
    try:
        _received(pubsub, 0.2)
        with session_worker_paused():
            result = ingest_path(admin, sample_files["png"], markets=("JP",))
            got = [events.from_payload(p) for p in _received(pubsub, 1.0)]
            queues.queue().empty()
        assert [type(e) for e in got[:2]] == [VersionAdded, StageChanged]
        assert all(isinstance(e, events.AssetEvent) and e.asset_id == result.asset_id for e in got)
        assert all(e is not None and e.audience.markets == ("JP",) for e in got)
        assert events.visible_to(got[0], _viewer({"JP"})) and not events.visible_to(got[0], _viewer({"NA"}))  # type: ignore[arg-type]
    finally:
        pubsub.close()


def test_reactions_run_on_commit_and_a_failing_one_stops_neither_the_others_nor_the_publish(
    services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def broken(event: events.Event) -> None:
        raise RuntimeError("boom")

    def noted(event: events.Event) -> None:
        seen.append(event.type)

    monkeypatch.setitem(reactions.REACTIONS, AssetChanged, (broken, noted))
    pubsub = queues.connection().pubsub()
    pubsub.subscribe(queues.channel(events.asset_topic(ASSET)))
    try:
        _received(pubsub, 0.2)
        with Session(get_engine()) as session:
            session.execute(text("SELECT 1"))
            reactions.publish_on_commit(session, AssetChanged(asset_id=ASSET, fields=("title",)))
            assert seen == [] and _received(pubsub) == []
            session.commit()
        assert seen == ["asset_changed"]
        [payload] = _received(pubsub)
        assert payload["type"] == "asset_changed" and payload["fields"] == ["title"]
    finally:
        pubsub.close()
