"""Who is told and when: quiet hours and digests, urgent rejections, visibility, automatic watches,
team channels, saved searches, and the outbox that outlives Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rq import SimpleWorker
from sqlalchemy import text

from dam_app.accounts.principal import PermissionDenied
from dam_app.assets import service as assets_service
from dam_app.assets import versions
from dam_app.catalog import service as catalog_service
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.notify import channels, jobs, service
from dam_app.notify.models import DeliveryStatus
from dam_app.review import service as review_service
from dam_app.worker import queues
from tests.notify import helpers
from tests.notify.receivers import HttpReceiver

QUEUE_A_DRAIN = jobs.drain_soon  # read before conftest's drains_by_the_test replaces it for each test


def _quiet_now(principal, zone: str = "Asia/Tokyo", digest: str = "off") -> datetime:
    """Quiet hours from an hour ago to two hours ahead, local time; returns when they end (UTC)."""
    local = datetime.now(UTC).astimezone(ZoneInfo(zone))
    start, end = local - timedelta(hours=1), local + timedelta(hours=2)
    with session_scope() as session:
        service.set_prefs(
            session=session,
            principal=principal,
            time_zone=zone,
            quiet_start=f"{start:%H:%M}",
            quiet_end=f"{end:%H:%M}",
            digest=digest,
        )
    return end.replace(second=0, microsecond=0).astimezone(UTC)


def test_quiet_hours_hold_alerts_then_send_one_digest(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset(title="Glow serum banner")
    helpers.add_channel(watcher, receiver.url("json", "/night"))
    helpers.watch(watcher, "asset", str(asset_id))
    ends = _quiet_now(watcher)

    helpers.new_version(uploader, asset_id, note="first fix")
    helpers.new_version(uploader, asset_id, note="second fix")
    held = jobs.drain()

    assert held.held == 2 and held.delivered == 0 and receiver.received == []
    assert {(d.status, d.next_attempt_at) for d in helpers.deliveries()} == {(DeliveryStatus.HELD, ends)}
    jobs.drain(now=ends - timedelta(minutes=1))
    assert receiver.received == []

    jobs.drain(now=ends + timedelta(seconds=1))
    (digest,) = receiver.wait_for(1)
    body = digest.fields()
    assert body["title"].startswith("2 alerts")
    assert "v1.0 -> v1.1" in body["message"] and "v1.1 -> v1.2" in body["message"]
    assert "first fix" in body["message"] and "second fix" in body["message"]
    assert {d.status for d in helpers.deliveries()} == {DeliveryStatus.DELIVERED}


def test_daily_digest_waits_for_its_hour(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    helpers.add_channel(watcher, receiver.url("json", "/daily"))
    helpers.watch(watcher, "asset", str(asset_id))
    with session_scope() as session:
        service.set_prefs(session=session, principal=watcher, time_zone="Europe/Berlin", digest="daily", digest_hour=9)
    helpers.new_version(uploader, asset_id)
    jobs.drain()
    (delivery,) = helpers.deliveries()
    due = delivery.next_attempt_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert delivery.status == DeliveryStatus.HELD and (due.hour, due.minute) == (9, 0)
    assert timedelta(0) < due - datetime.now(UTC) <= timedelta(days=1)
    jobs.drain(now=delivery.next_attempt_at)
    assert len(receiver.wait_for(1)) == 1


def test_a_rejection_in_ones_market_passes_quiet_hours(receiver: HttpReceiver, fast_retries: None) -> None:
    reviewer = helpers.person("reviewer", regions=["JP"])
    jp_lead = helpers.person(regions=["JP"])
    na_watcher = helpers.person(regions=["NA", "JP"])
    asset_id = helpers.asset(markets=("JP",))
    helpers.add_channel(jp_lead, receiver.url("json", "/jp"))
    helpers.add_channel(na_watcher, receiver.url("json", "/other"))
    for p in (jp_lead, na_watcher):
        helpers.watch(p, "asset", str(asset_id))
        _quiet_now(p)
    with session_scope() as session:
        review_service.record_decision(
            session=session, principal=reviewer, asset_id=asset_id, market="JP", stage="legal", decision="approved"
        )
    jobs.drain()
    assert receiver.received == []  # an approval waits for the morning
    with session_scope() as session:
        review_service.record_decision(
            session=session,
            principal=reviewer,
            asset_id=asset_id,
            market="JP",
            stage="legal",
            decision="rejected",
            note="absolute claim 'best'",
        )
    jobs.drain()
    received = {r.path: r.fields() for r in receiver.wait_for(2)}
    assert set(received) == {"/jp", "/other"}  # both have JP in their markets
    assert "rejected" in received["/jp"]["message"] and "absolute claim 'best'" in received["/jp"]["message"]
    assert "for JP (legal review)" in received["/jp"]["message"]


def test_a_version_marked_urgent_passes_quiet_hours(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, lead = helpers.person(regions=["JP"], name="Mei"), helpers.person(regions=["JP"])
    asset_id = helpers.asset(markets=("GLOBAL",), title="Singles Day banner")  # seen through a global market
    helpers.add_channel(lead, receiver.url("json", "/lead"))
    helpers.watch(lead, "asset", str(asset_id))
    _quiet_now(lead)
    helpers.new_version(uploader, asset_id, "new crop")
    jobs.drain()
    assert receiver.received == []  # an ordinary version waits for the end of the quiet hours
    helpers.new_version(uploader, asset_id, "the live banner says 30%: the offer is 40%", urgent=True)
    jobs.drain()
    (urgent,) = receiver.wait_for(1)
    sent = urgent.fields()
    assert sent["title"] == "Urgent: Singles Day banner: v1.1 -> v1.2"
    assert "the offer is 40%" in sent["message"]


def test_a_europe_only_user_hears_nothing_of_a_china_only_asset(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader = helpers.person(regions=["CN"])
    europe, china = helpers.person(regions=["EU"]), helpers.person(regions=["CN"])
    asset_id = helpers.asset(markets=("CN",), title="Double Eleven red banner")
    for name, p in (("eu", europe), ("cn", china)):
        helpers.add_channel(p, receiver.url("json", f"/{name}"))
        helpers.watch(p, "market", "CN")  # a market watch does not widen one's scope
        helpers.watch(p, "search", "red banner")
    helpers.new_version(uploader, asset_id)
    jobs.drain()
    assert [r.path for r in receiver.received] == ["/cn"]
    with pytest.raises(assets_service.AssetNotFound), session_scope() as session:
        service.watch(session=session, principal=europe, kind="asset", target=str(asset_id))


def test_uploader_and_downloaders_of_older_versions_are_told(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, downloader, viewer, bystander, editor = (helpers.person() for _ in range(5))
    asset_id = helpers.asset(created_by=uploader.user_id)
    for name, p in (("up", uploader), ("down", downloader), ("played", viewer), ("by", bystander)):
        helpers.add_channel(p, receiver.url("json", f"/{name}"))
    with session_scope() as session:
        first = session.execute(text("SELECT id FROM versions WHERE asset_id = :a"), {"a": asset_id}).scalar_one()
        assets_service.version_file(session=session, principal=downloader, version_id=first, count_use=True)
        assets_service.note_played(session=session, principal=viewer, version_id=first)  # watched the video
    helpers.new_version(editor, asset_id, note="v1.1")
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/down", "/played", "/up"]
    assert {d.reason for d in helpers.deliveries()} == {"upload", "download", "played"}
    with session_scope() as session, pytest.raises(assets_service.AssetNotFound):  # only what one may see
        assets_service.note_played(session=session, principal=helpers.person(regions=["EU"]), version_id=first)
    receiver.received.clear()

    with session_scope() as session:
        service.unwatch(session=session, principal=downloader, kind="asset", target=str(asset_id))
        assert not service.is_watching(session=session, principal=downloader, asset_id=asset_id)
        assert service.is_watching(session=session, principal=uploader, asset_id=asset_id)
    helpers.new_version(editor, asset_id, note="v1.2")
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/played", "/up"]  # not the downloader who stopped


def test_team_channels_follow_their_markets(receiver: HttpReceiver, admin, fast_retries: None) -> None:
    uploader = helpers.person(regions=["JP", "NA"])
    helpers.add_channel(admin, receiver.url("json", "/team-jp"), team=True, markets=["JP"])
    jp_asset, na_asset = helpers.asset(markets=("JP",)), helpers.asset(markets=("NA",))
    helpers.new_version(uploader, jp_asset)
    helpers.new_version(uploader, na_asset)
    jobs.drain()
    assert [r.path for r in receiver.received] == ["/team-jp"]
    (delivery,) = helpers.deliveries()
    assert delivery.user_id is None and delivery.reason == "team"
    editor = helpers.person()
    with pytest.raises(PermissionDenied, match="lacks permission"), session_scope() as session:
        channels.add_channel(session=session, principal=editor, url="json://x/y", team=True, markets=["JP"])


def test_campaign_and_saved_search_watches(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, fan, searcher, other = (helpers.person(regions=["JP"]) for _ in range(4))
    with session_scope() as session:
        slug = catalog_service.ensure_campaign(session=session, name="Double Eleven 2026")
    asset_id = helpers.asset(markets=("JP",), campaign=slug, content_type="banner", title="Sakura hero")
    for name, p in (("fan", fan), ("search", searcher), ("other", other)):
        helpers.add_channel(p, receiver.url("json", f"/{name}"))
    helpers.watch(fan, "campaign", "Double Eleven 2026")
    helpers.watch(searcher, "search", "sakura banner Japan")
    helpers.watch(other, "search", "sakura video")  # a video is asked for: a banner does not match
    helpers.new_version(uploader, asset_id)
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/fan", "/search"]


def test_the_outbox_survives_a_redis_flush(
    receiver: HttpReceiver, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    helpers.add_channel(watcher, receiver.url("json", "/kept"))
    helpers.watch(watcher, "asset", str(asset_id))
    # Redis restarted without its data right after the commit: the drain job queued then is gone
    # (conftest's drains_by_the_test drops it, rather than a flush, so a running worker cannot drain it first).
    helpers.new_version(uploader, asset_id, note="kept")
    assert receiver.received == []

    monkeypatch.setattr(jobs, "drain_soon", QUEUE_A_DRAIN)  # the sweep queues drains for real
    assert jobs.sweep() is True  # the database still says an alert waits
    worker = SimpleWorker([queues.queue(jobs.ALERT_QUEUE)], connection=queues.connection())
    worker.work(burst=True)  # this one, or a worker already running, drains it
    assert len(receiver.wait_for(1)) == 1 and "kept" in receiver.received[0].fields()["message"]
    assert jobs.sweep() is False


def test_no_alert_for_a_change_that_rolled_back(services: dict[str, str]) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    helpers.watch(watcher, "asset", str(asset_id))
    with pytest.raises(RuntimeError), session_scope() as session:
        helpers.add_version(session, uploader, asset_id, note="never")
        assert session.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one() == 1
        raise RuntimeError("the upload failed after the version row was written")
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one() == 0
    helpers.new_version(uploader, asset_id)
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one() == 1


def test_watch_targets_are_checked(services: dict[str, str]) -> None:
    person = helpers.person()
    with session_scope() as session:
        for kind, target in (("market", "XX"), ("campaign", "no-such"), ("search", ""), ("board", "x")):
            with pytest.raises(DamError):
                service.watch(session=session, principal=person, kind=kind, target=target)
        with pytest.raises(assets_service.AssetNotFound):
            service.watch(session=session, principal=person, kind="asset", target=str(uuid.uuid4()))


def test_a_restore_is_announced_as_one(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset(title="Aero Run hero")
    helpers.add_channel(watcher, receiver.url("json", "/restores"))
    helpers.watch(watcher, "asset", str(asset_id))
    first = helpers.new_version(uploader, asset_id, note="Restored from nothing: a note that only looks like one")
    helpers.new_version(uploader, asset_id, note="second")
    with session_scope() as session:
        versions.restore_version(session=session, principal=uploader, asset_id=asset_id, version_id=first.id)
    jobs.drain()
    said = "\n".join(r.fields()["message"] for r in receiver.wait_for(1))  # one round: one message
    assert "uploaded v1.1 of" in said  # the note's wording does not make an upload a restore
    assert "uploaded v1.2 of" in said
    assert "restored v1.3 of “Aero Run hero”: v1.2 -> v1.3" in said


def test_a_licence_ending_within_14_days_reaches_the_owner_and_the_markets_watchers(
    receiver: HttpReceiver, fast_retries: None
) -> None:
    from dam_app.rights import jobs as rights_jobs
    from dam_app.rights import service as rights_service
    from dam_app.rights.models import RightsRecordIn

    owner, jp_watcher, eu_watcher = (helpers.person(regions=[m]) for m in ("JP", "JP", "EU"))
    legal = helpers.person("reviewer", regions=["JP"])
    asset_id = helpers.asset(markets=("JP",), created_by=owner.user_id, title="Sakura serum hero")
    helpers.add_channel(owner, receiver.url("json", "/owner"))
    helpers.add_channel(jp_watcher, receiver.url("json", "/jp"))
    helpers.add_channel(eu_watcher, receiver.url("json", "/eu"))
    helpers.watch(jp_watcher, "market", "JP")
    helpers.watch(eu_watcher, "market", "EU")
    _quiet_now(jp_watcher)  # the market about to lose the asset hears of it whatever the hour
    ends = datetime.now(UTC) + timedelta(days=6)
    with session_scope() as session:
        rights_service.save_record(
            session=session,
            principal=legal,
            asset_id=asset_id,
            data=RightsRecordIn(licence_source="Amana Images", licensed_markets=["JP"], licence_end=ends),
        )
    rights_jobs.sweep()
    rights_jobs.sweep()  # once per end date
    jobs.drain()
    received = {r.path: r.fields() for r in receiver.wait_for(2)}
    assert set(received) == {"/owner", "/jp"}
    message = received["/jp"]["message"]
    assert f"The licence from Amana Images for “Sakura serum hero” ends on {ends:%Y-%m-%d} in JP" in message
    assert "renew the licence" in message and f"/assets/{asset_id}" in message


def test_a_mention_reaches_the_person_named_and_no_team_channel(
    receiver: HttpReceiver, admin, fast_retries: None
) -> None:
    from dam_app.comments import service as comments_service

    writer = helpers.person("reviewer", regions=["JP"])
    named = helpers.person(regions=["JP"])
    bystander = helpers.person(regions=["JP"])
    asset_id = helpers.asset(markets=("JP",), title="Sakura serum hero")
    helpers.add_channel(admin, receiver.url("json", "/team-jp"), team=True, markets=["JP"])
    helpers.add_channel(named, receiver.url("json", "/named"))
    helpers.add_channel(bystander, receiver.url("json", "/bystander"))
    helpers.watch(bystander, "asset", str(asset_id))
    with session_scope() as session:
        comments_service.add(
            session=session, principal=writer, asset_id=asset_id, body=f"@{named.email} internal: check the claim",
            internal=True,
        )  # fmt: skip
    jobs.drain()
    got = {r.path: r.fields() for r in receiver.wait_for(2)}
    assert set(got) == {"/named", "/bystander"}  # the asset's watcher hears of the comment, no team channel
    assert got["/named"]["title"].endswith("mentioned you: Sakura serum hero")  # the mention, told once
    assert "check the claim" in got["/named"]["message"] and "commented on" in got["/bystander"]["message"]
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/bystander", "/named"]
