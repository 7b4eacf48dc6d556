"""A comment reaches the people following the conversation: the thread's earlier authors, the
asset's watchers and its uploader; never its author, a muted watcher, the person it @names twice,
a team channel, or, for an internal thread, someone who may not read internal comments."""

from __future__ import annotations

from dam_app.comments import service as comments_service
from dam_app.db import session_scope
from dam_app.notify import jobs
from dam_app.notify import service as notify_service
from tests.notify import helpers
from tests.notify.receivers import HttpReceiver


def _comment(principal, asset_id, body: str, **kwargs) -> int:
    with session_scope() as session:
        thread = comments_service.add(session=session, principal=principal, asset_id=asset_id, body=body, **kwargs)
        return thread.id


def test_a_reply_reaches_the_thread_the_watchers_and_the_uploader(
    receiver: HttpReceiver, admin, fast_retries: None
) -> None:
    uploader = helpers.person(regions=["JP"], name="Hana")
    starter = helpers.person("reviewer", regions=["JP"], name="Kenji")
    replier, watcher, muted = (helpers.person(regions=["JP"], name=n) for n in ("Mei", "Aiko", "Ren"))
    asset_id = helpers.asset(markets=("JP",), title="Sakura serum hero", created_by=uploader.user_id)
    for who in (uploader, starter, replier, watcher, muted):
        helpers.add_channel(who, receiver.url("json", f"/{who.display_name}"))
    helpers.add_channel(admin, receiver.url("json", "/team-jp"), team=True, markets=["JP"])
    helpers.watch(watcher, "asset", str(asset_id))

    thread = _comment(starter, asset_id, "The bottle's shadow is cut off at the bottom.")
    jobs.drain()
    first = {r.path: r.fields() for r in receiver.wait_for(2)}
    assert set(first) == {"/Hana", "/Aiko"}  # the uploader and the watcher: not its author, no team channel
    assert first["/Aiko"]["title"] == "Kenji commented: Sakura serum hero"
    assert "The bottle's shadow is cut off" in first["/Aiko"]["message"]
    assert "(v1.0)" in first["/Aiko"]["message"] and f"/assets/{asset_id}" in first["/Aiko"]["message"]

    _comment(muted, asset_id, "Agreed.", parent_id=thread)  # takes part, then stops following the asset
    with session_scope() as session:
        notify_service.unwatch(session=session, principal=muted, kind="asset", target=str(asset_id))
    jobs.drain()
    receiver.wait_for(5)
    receiver.received.clear()
    _comment(replier, asset_id, "Fixed in the next export.", parent_id=thread)
    jobs.drain()
    second = {r.path: r.fields() for r in receiver.wait_for(3)}
    assert set(second) == {"/Hana", "/Kenji", "/Aiko"}  # not Ren, who stopped following
    assert second["/Kenji"]["title"] == "Mei replied in a thread: Sakura serum hero"
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/Aiko", "/Hana", "/Kenji"]


def test_an_internal_thread_is_never_quoted_to_an_external_reviewer(receiver: HttpReceiver, fast_retries: None) -> None:
    writer = helpers.person(regions=["JP"], name="Kenji")
    team, outside = helpers.person("reviewer", regions=["JP"]), helpers.person("viewer", regions=["JP"])
    asset_id = helpers.asset(markets=("JP",), title="Sakura serum hero")
    for who, path in ((team, "/team"), (outside, "/outside")):
        helpers.add_channel(who, receiver.url("json", path))
        helpers.watch(who, "asset", str(asset_id))

    _comment(writer, asset_id, "Legal says the claim needs a source.", internal=True)
    jobs.drain()
    (only,) = receiver.wait_for(1)
    assert only.path == "/team" and only.fields()["message"].count("Internal comment.") == 1
    _comment(writer, asset_id, "Shared with the agency: please crop tighter.")
    jobs.drain()
    receiver.wait_for(3)
    assert sorted(r.path for r in receiver.received) == ["/outside", "/team", "/team"]


def test_an_internal_mention_waiting_in_the_outbox_is_checked_again_when_sent(
    receiver: HttpReceiver, fast_retries: None
) -> None:
    from sqlalchemy import text

    writer, named = helpers.person(regions=["JP"], name="Kenji"), helpers.person("reviewer", regions=["JP"])
    asset_id = helpers.asset(markets=("JP",), title="Sakura serum hero")
    helpers.add_channel(named, receiver.url("json", "/named"))
    _comment(writer, asset_id, f"@{named.email} internal: the claim needs a source", internal=True)
    with session_scope() as session:  # before the alert goes out, they become an external reviewer
        session.execute(text("UPDATE users SET role = 'viewer' WHERE id = :u"), {"u": named.user_id})
    jobs.drain()
    assert receiver.wait_for(1, timeout=1.0) == []
