"""Alerts as they arrive on real local receivers: content, retries, failures, per-channel isolation."""

from __future__ import annotations

import time

import pytest
from apprise.plugins.slack import NotifySlack
from sqlalchemy import text

from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.notify import channels, jobs, secrets
from dam_app.notify.models import DeliveryStatus
from dam_app.notify.sender import BadChannelUrl
from dam_app.ui.routes import compare_url
from tests.notify import helpers
from tests.notify.receivers import HttpReceiver, SmtpReceiver, free_port

SLACK = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"


def test_new_version_reaches_every_kind_of_channel(
    receiver: HttpReceiver, smtp: SmtpReceiver, monkeypatch: pytest.MonkeyPatch, fast_retries: None
) -> None:
    monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{receiver.port}/slack")
    uploader = helpers.person(name="Mei Chen")
    watcher = helpers.person()
    asset_id = helpers.asset(title="Aero Run hero", created_by=uploader.user_id)
    for url in (receiver.url("json", "/json"), receiver.url("form", "/form"), SLACK, smtp.url()):
        helpers.add_channel(watcher, url)
    helpers.add_channel(uploader, receiver.url("json", "/uploader"))  # the one who changed it hears nothing
    helpers.watch(watcher, "asset", str(asset_id))
    with session_scope() as session:
        first = session.execute(text("SELECT id FROM versions WHERE asset_id = :a"), {"a": asset_id}).scalar_one()

    version = helpers.new_version(uploader, asset_id, note="brighter sole, new claim")
    result = jobs.drain()

    assert result.delivered == 4 and result.failed == 0
    link = get_settings().base_url + compare_url(asset_id, first, version.id)
    json_body = receiver.at("/json")[0].fields()
    assert json_body["title"] == "Aero Run hero: v1.0 -> v1.1"
    for part in ("Mei Chen", "v1.0 -> v1.1", "brighter sole, new claim", link, "Aero Run hero"):
        assert part in json_body["message"]
    form_body = receiver.at("/form")[0].fields()
    assert "brighter sole, new claim" in form_body["message"] and link in form_body["message"]
    slack = receiver.at("/slack/T1JJ3T3L2/A1BRTD4JD/")[0].fields()
    slack_text = slack["attachments"][0]["text"]
    assert "v1.0 -&gt; v1.1" in slack_text and "Mei Chen" in slack_text and link.replace("&", "&amp;") in slack_text
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["Subject"] == "Aero Run hero: v1.0 -> v1.1"
    mail_text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "brighter sole, new claim" in mail_text and link in mail_text
    assert receiver.at("/uploader") == []
    assert {d.status for d in helpers.deliveries()} == {DeliveryStatus.DELIVERED}


def test_dead_webhook_is_retried_then_failed_while_others_arrive(receiver: HttpReceiver, fast_retries: None) -> None:
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    dead = helpers.add_channel(watcher, f"json://127.0.0.1:{free_port()}/nobody-listens", name="dead")
    live = helpers.add_channel(watcher, receiver.url("json", "/live"), name="live")
    helpers.watch(watcher, "asset", str(asset_id))

    helpers.new_version(uploader, asset_id, note="v2 copy")
    result = jobs.drain()

    by_channel = {d.channel_id: d for d in helpers.deliveries()}
    assert by_channel[live].status == DeliveryStatus.DELIVERED and len(receiver.at("/live")) == 1
    failed = by_channel[dead]
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == jobs.max_attempts() == 3
    assert failed.last_error  # Apprise's own words: connection refused
    assert result.retrying == 2 and result.failed == 1


def test_refusing_mail_server_is_recorded(smtp: SmtpReceiver, fast_retries: None) -> None:
    smtp.refuse = True
    uploader, watcher = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    helpers.add_channel(watcher, smtp.url())
    helpers.watch(watcher, "asset", str(asset_id))
    helpers.new_version(uploader, asset_id)
    jobs.drain()
    (delivery,) = helpers.deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert smtp.messages == []
    assert delivery.last_error


def test_an_invalid_url_is_refused_with_a_clear_error(services: dict[str, str]) -> None:
    watcher = helpers.person()
    for bad in ("notaservice://token", "hello world", "", "https://"):
        with pytest.raises(BadChannelUrl) as refused, session_scope() as session:
            channels.add_channel(session=session, principal=watcher, url=bad)
        assert "not an Apprise notification URL" in refused.value.message
    with session_scope() as session:
        assert channels.list_channels(session=session, principal=watcher) == []


def test_channel_urls_are_encrypted_at_rest_and_shown_masked(services: dict[str, str]) -> None:
    watcher = helpers.person()
    helpers.add_channel(watcher, SLACK, name="team slack")
    with session_scope() as session:
        stored = session.execute(text("SELECT url_encrypted, masked FROM alert_channels")).one()
        row_text = session.execute(text("SELECT alert_channels::text FROM alert_channels")).scalar_one()
        (listed,) = channels.list_channels(session=session, principal=watcher)
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in row_text and "T1JJ3T3L2" not in row_text
    assert secrets.decrypt(stored.url_encrypted) == SLACK
    assert listed.masked == stored.masked == "slack://T1…/…7FQ"
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in listed.model_dump_json()


def test_a_slow_channel_does_not_hold_up_the_others(receiver: HttpReceiver, fast_retries: None) -> None:
    receiver.slow_paths, receiver.delay_s = {"/slow"}, 1.5
    uploader = helpers.person()
    asset_id = helpers.asset()
    fast_people = [helpers.person() for _ in range(3)]
    slow_person = helpers.person()
    helpers.add_channel(slow_person, receiver.url("json", "/slow"))
    helpers.watch(slow_person, "asset", str(asset_id))
    for i, p in enumerate(fast_people):
        helpers.add_channel(p, receiver.url("json", f"/fast{i}"))
        helpers.watch(p, "asset", str(asset_id))
    helpers.new_version(uploader, asset_id)
    started = time.monotonic()
    jobs.drain()
    fast = [r.at - started for r in receiver.received if r.path.startswith("/fast")]
    slow = [r.at - started for r in receiver.received if r.path.startswith("/slow")]
    assert len(fast) == 3 and len(slow) == 1
    assert max(fast) < 1.0 <= slow[0]


def test_a_channel_with_two_topics_is_not_throttled_between_them(receiver: HttpReceiver, fast_retries: None) -> None:
    """Apprise waits `request_rate_per_sec` (5.5 s for ntfy) between two sends of one plugin object;
    a URL naming two topics sends twice, and the drain must not sit in that pause."""
    uploader, follower = helpers.person(), helpers.person()
    asset_id = helpers.asset()
    helpers.add_channel(follower, receiver.url("ntfy", "/launch-us/launch-ca"))
    helpers.watch(follower, "asset", str(asset_id))
    helpers.new_version(uploader, asset_id)
    started = time.monotonic()
    jobs.drain()
    took = time.monotonic() - started
    assert len(receiver.received) == 2, receiver.received  # one POST per topic
    assert took < 3.0, f"the drain waited {took:.1f} s between the two topics"
