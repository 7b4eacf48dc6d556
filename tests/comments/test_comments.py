"""Comment threads at the service level: anchors in the W3C shapes and every bad one refused with its
reason, replies, @mentions (the inbox, refusals for people who cannot see), edits with history,
resolve and reopen, internal threads hidden from external reviewers, filters, and 5,000 comments
on one asset read a page at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlmodel import Session, select

from dam_app.accounts.principal import PermissionDenied
from dam_app.assets.models import Version
from dam_app.comments import service
from dam_app.comments.models import Comment, CommentEdit
from dam_app.errors import Invalid, NotFound
from dam_app.notify.models import AlertOutbox
from tests import factories

REGION = {"type": "FragmentSelector", "value": "xywh=percent:10,20,30,15"}


def test_anchors_in_the_w3c_shapes_and_bad_ones_refused(tx: Session) -> None:
    reviewer = factories.user(tx, role="reviewer", regions=["NA"]).principal
    asset = factories.asset(tx, markets=["NA"], copy="Lightweight trail shoe. Lightweight and grippy.")

    def start(anchor: object, **more: object) -> service.ThreadView:
        return service.add(session=tx, principal=reviewer, asset_id=asset.id, body="Check this", anchor=anchor, **more)  # type: ignore[arg-type]

    region = start(REGION).anchor
    assert region == {
        "kind": "region",
        "selector": {"type": "FragmentSelector", "conformsTo": "http://www.w3.org/TR/media-frags/",
                     "value": "xywh=percent:10,20,30,15"},
    }  # fmt: skip
    assert start({"type": "FragmentSelector", "value": "xywh=percent:50,50,0,0"}).anchor["kind"] == "point"  # type: ignore[index]
    phrase = start({"field": "copy", "selector": [{"type": "TextQuoteSelector", "exact": "grippy"}]}).anchor
    assert phrase is not None
    quote, position = phrase["selector"]
    assert (quote["exact"], quote["prefix"][-4:], position["start"]) == ("grippy", "and ", 40)
    assert start(None).anchor is None  # the whole version

    refused = [
        ({"type": "FragmentSelector", "value": "xywh=percent:90,10,20,5"}, "outside the picture"),
        ({"type": "FragmentSelector", "value": "xywh=10,10,5,5"}, "not xywh=percent"),
        ({"type": "FragmentSelector", "value": "t=5,8"}, "only a video has times"),
        ({"type": "TextQuoteSelector", "exact": "waterproof"}, "is not in this version's copy"),
        ({"field": "copy", "selector": [{"type": "TextPositionSelector", "start": 10, "end": 900}]}, "not in the copy"),
        ({"field": "notes", "selector": [{"type": "TextQuoteSelector", "exact": "x"}]}, "not 'notes'"),
        ({"type": "SvgSelector", "value": "<svg/>"}, "unknown selector type"),
    ]
    for anchor, reason in refused:
        with pytest.raises(Invalid, match=reason):
            start(anchor)
    with pytest.raises(Invalid, match="cannot be empty"):
        service.add(session=tx, principal=reviewer, asset_id=asset.id, body="   ")
    with pytest.raises(Invalid, match="at most 5000"):
        service.add(session=tx, principal=reviewer, asset_id=asset.id, body="x" * 5001)

    video = factories.asset(tx, markets=["NA"])
    version = tx.get(Version, video.current_version_id)
    assert version is not None
    version.mime, version.duration_s = "video/mp4", 12.0
    tx.flush()
    timed = service.add(
        session=tx, principal=reviewer, asset_id=video.id, body="Logo too late",
        anchor={"type": "FragmentSelector", "value": "t=3.5,6"},
    )  # fmt: skip
    assert timed.anchor is not None and timed.anchor["selector"]["value"] == "t=3.5,6"
    with pytest.raises(Invalid, match=r"past the video's end \(12.00 s\)"):
        service.add(
            session=tx, principal=reviewer, asset_id=video.id, body="x",
            anchor={"type": "FragmentSelector", "value": "t=13"},
        )  # fmt: skip


def test_threads_mentions_edits_resolve_and_internal_comments(tx: Session) -> None:
    lena = factories.user(tx, role="reviewer", regions=["NA"], email="lena.k@example.com")
    omar = factories.user(tx, role="editor", regions=["NA"], email="omar@example.com")
    agency = factories.user(tx, role="external", regions=["NA"], email="agency@partner.example")
    factories.user(tx, role="editor", regions=["CN"], email="wei@example.com")
    asset = factories.asset(tx, markets=["NA"])

    thread = service.add(
        session=tx, principal=lena.principal, asset_id=asset.id, anchor=REGION,
        body="<script>alert(1)</script> the logo is old, @omar please swap it",
    )  # fmt: skip
    assert thread.comments[0].body.startswith("<script>")  # kept as written; every page shows text, not HTML
    alert = tx.exec(select(AlertOutbox).where(AlertOutbox.event_type == "comment_mentioned")).one()
    assert alert.payload["mentioned"] == [str(omar.user.id)] and "mentioned you" in alert.title
    inbox = service.inbox(session=tx, principal=omar.principal)
    assert [(m.thread_id, m.by) for m in inbox] == [(thread.id, "lena.k@example.com")]
    with pytest.raises(Invalid, match="@wei cannot see this asset"):
        service.add(session=tx, principal=lena.principal, asset_id=asset.id, body="@wei what do you think?")
    with pytest.raises(Invalid, match="no one is called @nobody"):
        service.add(session=tx, principal=lena.principal, asset_id=asset.id, body="ask @nobody")

    replied = service.add(
        session=tx, principal=omar.principal, asset_id=asset.id, body="Swapped in v1.1", parent_id=thread.id
    )
    assert [c.author for c in replied.comments] == ["lena.k@example.com", "omar@example.com"]
    reply_id = replied.comments[1].id
    with pytest.raises(PermissionDenied, match="only its author"):
        service.edit(session=tx, principal=lena.principal, asset_id=asset.id, comment_id=reply_id, body="x")
    edited = service.edit(
        session=tx, principal=omar.principal, asset_id=asset.id, comment_id=reply_id, body="Swapped in v1.2"
    )
    assert (edited.comments[1].body, edited.comments[1].edits) == ("Swapped in v1.2", 1)
    assert tx.exec(select(CommentEdit.body).where(CommentEdit.comment_id == reply_id)).all() == ["Swapped in v1.1"]
    with pytest.raises(Invalid, match="is a reply"):
        service.set_resolved(session=tx, principal=lena.principal, asset_id=asset.id, thread_id=reply_id, resolved=True)
    with pytest.raises(PermissionDenied, match="only the thread's author"):
        service.set_resolved(
            session=tx, principal=agency.principal, asset_id=asset.id, thread_id=thread.id, resolved=True
        )
    done = service.set_resolved(
        session=tx, principal=lena.principal, asset_id=asset.id, thread_id=thread.id, resolved=True
    )
    assert done.resolved
    with pytest.raises(Invalid, match="reopen it to reply"):
        service.add(session=tx, principal=omar.principal, asset_id=asset.id, body="one more", parent_id=thread.id)

    internal = service.add(
        session=tx, principal=lena.principal, asset_id=asset.id, body="Between us: agency missed the brief",
        internal=True,
    )  # fmt: skip
    with pytest.raises(Invalid, match="@agency cannot read internal comments"):
        service.add(session=tx, principal=lena.principal, asset_id=asset.id, body="@agency fyi", internal=True)
    with pytest.raises(PermissionDenied, match="only your own team"):
        service.add(session=tx, principal=agency.principal, asset_id=asset.id, body="x", internal=True)
    seen_by_agency = service.threads(session=tx, principal=agency.principal, asset_id=asset.id, status="all")
    assert [t.id for t in seen_by_agency.threads] == [thread.id]
    with pytest.raises(NotFound):
        service.add(session=tx, principal=agency.principal, asset_id=asset.id, body="x", parent_id=internal.id)

    def ids(principal=lena.principal, **filters: object) -> list[int]:
        page = service.threads(session=tx, principal=principal, asset_id=asset.id, **filters)  # type: ignore[arg-type]
        return [t.id for t in page.threads]

    assert ids() == [internal.id]  # open only
    assert ids(status="resolved") == [thread.id]
    assert ids(status="all") == [internal.id, thread.id]
    assert ids(omar.principal, status="all", mine=True) == [thread.id]  # he replied there
    assert ids(omar.principal, status="all", mentions=True) == [thread.id]
    assert ids(status="all", version_id=asset.current_version_id) == [internal.id, thread.id]
    with pytest.raises(Invalid, match="status is"):
        ids(status="maybe")


def test_five_thousand_comments_on_one_asset_read_a_page_at_a_time(tx: Session) -> None:
    reviewer = factories.user(tx, role="reviewer", regions=["NA"])
    asset = factories.asset(tx, markets=["NA"])
    rows = [
        {"asset_id": asset.id, "version_id": asset.current_version_id, "author_id": reviewer.user.id,
         "body": f"note {n}"}
        for n in range(5000)
    ]  # fmt: skip
    tx.execute(insert(Comment), rows)
    page = service.threads(session=tx, principal=reviewer.principal, asset_id=asset.id, limit=50, offset=4950)
    assert (page.total, page.open, len(page.threads)) == (5000, 5000, 50)
    assert page.threads[-1].comments[0].body == "note 0"  # newest first: the last page ends with the first


def test_mentions_follow_edits_and_malformed_anchors_are_refused(tx: Session) -> None:
    anna = factories.user(tx, role="editor", regions=["EU"], email="anna@example.com")
    ben = factories.user(tx, role="reviewer", regions=["EU"], email="ben@example.com")
    asset = factories.asset(tx, markets=["EU"], copy="Winter coat, warm and light.")
    thread = service.add(session=tx, principal=ben.principal, asset_id=asset.id, body="Looks good, thanks @anna.")
    assert [m.thread_id for m in service.inbox(session=tx, principal=anna.principal)] == [thread.id]
    reply = service.add(session=tx, principal=anna.principal, asset_id=asset.id, body="Sure", parent_id=thread.id)
    reply_id = reply.comments[1].id
    service.edit(session=tx, principal=anna.principal, asset_id=asset.id, comment_id=reply_id, body="Sure, @ben.")
    assert [m.thread_id for m in service.inbox(session=tx, principal=ben.principal)] == [thread.id]
    service.edit(session=tx, principal=anna.principal, asset_id=asset.id, comment_id=reply_id, body="Sure.")
    assert service.inbox(session=tx, principal=ben.principal) == []  # no longer named: no longer in the inbox
    assert service.mark_seen(session=tx, principal=anna.principal) == 1

    for anchor, reason in (
        ({"type": "FragmentSelector", "value": "xywh=percent:1.2.3,4,5,6"}, "not xywh=percent"),
        ({"type": "FragmentSelector", "value": "t=.."}, "only a video"),
        ({"field": "copy", "selector": [{"type": "TextPositionSelector", "start": "a", "end": 3}]}, "whole numbers"),
        ({"field": "copy", "selector": [{"type": "TextPositionSelector", "start": None, "end": 3}]}, "whole numbers"),
    ):
        with pytest.raises(Invalid, match=reason):
            service.add(session=tx, principal=ben.principal, asset_id=asset.id, body="x", anchor=anchor)
