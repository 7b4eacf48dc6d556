"""Comment threads on an asset: start one on a spot of a version (or on the whole version), reply,
@mention people (told by an alert, and in their inbox), edit with the history kept, resolve and
reopen. Internal threads are never shown to people without `comment.internal` (external reviewers).
A thread's pin follows the asset into later versions (comments/pins.py); reading the threads of a
version gives each pin where it stands on that version."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset, Version
from dam_app.audit import service as audit_service
from dam_app.comments import anchors, announce, frames, mentions, pins
from dam_app.comments.models import (
    INTERNAL_PERMISSION,
    Comment,
    CommentEdit,
    CommentMention,
    CommentPlacement,
    Placement,
)
from dam_app.comments.views import MentionView, ThreadsPage, ThreadView, thread_views
from dam_app.db import on_commit
from dam_app.errors import Invalid, NotFound
from dam_app.fields import utcnow

PAGE = 50
# "@lena", "@lena.k", "@lena.k@example.com"; a sentence's final dot is not part of the name.


def add(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    body: str,
    anchor: dict[str, Any] | None = None,
    version_id: uuid.UUID | None = None,
    internal: bool = False,
    parent_id: int | None = None,
) -> ThreadView:
    """Start a thread on `version_id` (default: the current version) at `anchor`, or reply to
    `parent_id` (a reply takes its thread's version and visibility)."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    text = mentions.body_of(body)
    if parent_id is not None:
        root = _thread(session, principal, asset, parent_id)
        if root.resolved:
            raise Invalid("the thread is resolved: reopen it to reply")
        version_id, internal, stored_anchor = root.version_id, root.internal, None
    else:
        root = None
        version = session.get(Version, version_id or asset.current_version_id)
        if version is None or version.asset_id != asset.id:
            raise NotFound("version", version_id)
        version_id = version.id
        if internal and not principal.can(INTERNAL_PERMISSION):
            raise PermissionDenied("only your own team writes internal comments")
        stored_anchor = anchors.validated(anchor, anchors.shape_of(asset, version))
    mentioned = mentions.people_named(
        session, text, markets=asset.markets, created_by=asset.created_by, internal=internal
    )
    comment = Comment(
        asset_id=asset.id,
        version_id=version_id,
        parent_id=root.id if root else None,
        author_id=principal.user_id,
        body=text,
        internal=internal,
        anchor=stored_anchor,
    )
    session.add(comment)
    session.flush()
    assert comment.id is not None
    announce.mentioned(session, principal, asset, comment, mentioned)
    announce.added(session, principal, asset, comment, mentioned)
    _audit(session, principal, asset, "comment.add", comment, {"mentions": [u.email for u in mentioned]})
    if root is None and version_id != asset.current_version_id:  # on an older version: carry it forward
        thread_id = comment.id
        on_commit(session, lambda: pins.carry_thread_soon(thread_id))
    if root is None and (moment := frames.moment_of(stored_anchor)) is not None:  # the frame for the list
        framed = version_id
        on_commit(session, lambda: frames.keep_frame_soon(framed, moment))
    return _thread_view(session, principal, asset, root.id if root and root.id else comment.id, shown=None)


def edit(*, session: Session, principal: Principal, asset_id: uuid.UUID, comment_id: int, body: str) -> ThreadView:
    """Change one's own comment; what it said before is kept."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    comment = _comment(session, principal, asset, comment_id)
    if comment.author_id != principal.user_id:
        raise PermissionDenied("only its author edits a comment")
    text = mentions.body_of(body)
    if text == comment.body:
        return _thread_view(session, principal, asset, comment.parent_id or comment_id, shown=None)
    mentioned = mentions.people_named(
        session, text, markets=asset.markets, created_by=asset.created_by, internal=comment.internal
    )  # the refusals of a new comment
    session.add(CommentEdit(comment_id=comment_id, body=comment.body, edited_by=principal.user_id))
    comment.body, comment.edited_at = text, utcnow()
    session.add(comment)
    before = set(session.exec(select(CommentMention.user_id).where(col(CommentMention.comment_id) == comment_id)))
    now_named = {u.id for u in mentioned}
    no_longer = delete(CommentMention).where(col(CommentMention.comment_id) == comment_id)
    if now_named:
        no_longer = no_longer.where(col(CommentMention.user_id).not_in(now_named))
    session.execute(no_longer)
    announce.mentioned(session, principal, asset, comment, [u for u in mentioned if u.id not in before])
    _audit(session, principal, asset, "comment.edit", comment, {})
    return _thread_view(session, principal, asset, comment.parent_id or comment_id, shown=None)


def set_resolved(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, thread_id: int, resolved: bool
) -> ThreadView:
    asset = assets_service.visible_asset(session, principal, asset_id)
    root = _thread(session, principal, asset, thread_id)
    if root.author_id != principal.user_id and not (principal.can("asset.review") or principal.can("asset.write")):
        raise PermissionDenied("only the thread's author, a reviewer or an editor resolves or reopens it")
    if root.resolved != resolved:
        root.resolved = resolved
        root.resolved_by, root.resolved_at = (principal.user_id, utcnow()) if resolved else (None, None)
        session.add(root)
        _audit(session, principal, asset, "comment.resolve" if resolved else "comment.reopen", root, {})
        if not resolved:  # versions added while it was resolved get its pin too
            on_commit(session, lambda: pins.carry_thread_soon(thread_id))
    return _thread_view(session, principal, asset, thread_id, shown=None)


def place(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    thread_id: int,
    version_id: uuid.UUID,
    anchor: Any,
) -> ThreadView:
    """Put a thread's pin where it belongs on a later version, by hand (it was flagged "could not be
    placed", or placed wrongly): the pins stage leaves it there and carries it on from there."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    root = _thread(session, principal, asset, thread_id)
    if root.author_id != principal.user_id and not (principal.can("asset.review") or principal.can("asset.write")):
        raise PermissionDenied("only the thread's author, a reviewer or an editor places its pin")
    if root.anchor is None:
        raise Invalid("the thread is on the whole version: it has no pin to place")
    if root.resolved:
        raise Invalid("the thread is resolved: reopen it to place its pin")
    version, made_on = session.get(Version, version_id), session.get(Version, root.version_id)
    if version is None or version.asset_id != asset.id or made_on is None:
        raise NotFound("version", version_id)
    if version.created_at <= made_on.created_at:
        raise Invalid(f"the thread was made on {made_on.label}: a pin is placed on a later version")
    stored = anchors.validated(anchor, anchors.shape_of(asset, version))
    if stored is None or (anchors.family(stored), stored.get("field")) != (
        anchors.family(root.anchor),
        root.anchor.get("field"),
    ):
        raise Invalid(f"place it as it was made: {anchors.describe(root.anchor)} is not {anchors.describe(stored)}")
    values: dict[str, Any] = {"anchor": stored, "state": Placement.PLACED, "note": f"placed by {principal.email}"}
    values |= {"placed_by": principal.user_id, "placed_at": utcnow()}
    session.execute(
        insert(CommentPlacement)
        .values(comment_id=root.id, version_id=version.id, **values)
        .on_conflict_do_update(constraint="uq_comment_placements", set_=values)
    )
    _audit(session, principal, asset, "comment.place", root, {"placed_on": str(version.id)})
    on_commit(session, lambda: pins.carry_thread_soon(thread_id))  # the versions after it follow
    if (moment := frames.moment_of(stored)) is not None:
        placed_on = version.id
        on_commit(session, lambda: frames.keep_frame_soon(placed_on, moment))
    return _thread_view(session, principal, asset, thread_id, shown=version.id)


def threads(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    version_id: uuid.UUID | None = None,
    status: str = "open",
    mine: bool = False,
    mentions: bool = False,
    limit: int = PAGE,
    offset: int = 0,
) -> ThreadsPage:
    """The threads on a version (made on it, or whose pin was carried to it; None: every version),
    open first then newest; `mine`: started or answered by the caller; `mentions`: naming them."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    if status not in ("open", "resolved", "all"):
        raise Invalid("status is open, resolved or all")
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    roots = select(Comment.id).where(col(Comment.asset_id) == asset.id, col(Comment.parent_id).is_(None))
    if not principal.can(INTERNAL_PERMISSION):
        roots = roots.where(col(Comment.internal).is_(False))
    if version_id is not None:
        carried = select(CommentPlacement.comment_id).where(col(CommentPlacement.version_id) == version_id)
        roots = roots.where(or_(col(Comment.version_id) == version_id, col(Comment.id).in_(carried)))
    open_count = session.exec(
        select(func.count()).select_from(roots.where(col(Comment.resolved).is_(False)).subquery())
    ).one()
    if status != "all":
        roots = roots.where(col(Comment.resolved).is_(status == "resolved"))
    if mine or mentions:
        in_thread = select(func.coalesce(Comment.parent_id, Comment.id)).where(col(Comment.asset_id) == asset.id)
        if mine:
            roots = roots.where(col(Comment.id).in_(in_thread.where(col(Comment.author_id) == principal.user_id)))
        if mentions:
            named = select(CommentMention.comment_id).where(col(CommentMention.user_id) == principal.user_id)
            roots = roots.where(col(Comment.id).in_(in_thread.where(col(Comment.id).in_(named))))
    total = session.exec(select(func.count()).select_from(roots.subquery())).one()
    ids = list(session.exec(roots.order_by(col(Comment.resolved), col(Comment.id).desc()).offset(offset).limit(limit)))
    views = thread_views(session, asset, [i for i in ids if i is not None], shown=version_id)
    return ThreadsPage(threads=views, total=total, open=open_count)


def inbox(*, session: Session, principal: Principal, limit: int = PAGE) -> list[MentionView]:
    """Where the caller was mentioned, newest first (in assets they may still read)."""
    if principal.user_id is None:
        return []
    rows = session.exec(
        select(CommentMention, Comment, Asset, User.email)
        .join(Comment, col(Comment.id) == col(CommentMention.comment_id))
        .join(Asset, col(Asset.id) == col(Comment.asset_id))
        .join(User, col(User.id) == col(Comment.author_id), isouter=True)
        .where(col(CommentMention.user_id) == principal.user_id, assets_service.visibility(principal))
        .order_by(col(CommentMention.id).desc())
        .limit(max(1, min(limit, 200)))
    ).all()
    return [
        MentionView(
            id=m.id or 0,
            asset_id=a.id,
            asset_title=a.title,
            thread_id=c.parent_id or c.id or 0,
            by=email or "system",
            excerpt=c.body[:200],
            at=c.created_at,
            seen=m.seen_at is not None,
        )
        for m, c, a, email in rows
        if not c.internal or principal.can(INTERNAL_PERMISSION)
    ]


def mark_seen(*, session: Session, principal: Principal) -> int:
    if principal.user_id is None:
        return 0
    done = session.execute(
        update(CommentMention)
        .where(col(CommentMention.user_id) == principal.user_id, col(CommentMention.seen_at).is_(None))
        .values(seen_at=func.now())
    )
    return int(getattr(done, "rowcount", 0) or 0)


def _comment(session: Session, principal: Principal, asset: Asset, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id) if 0 < comment_id < 2**63 else None
    if comment is None or comment.asset_id != asset.id:
        raise NotFound("comment", comment_id)
    if comment.internal and not principal.can(INTERNAL_PERMISSION):
        raise NotFound("comment", comment_id)  # an internal thread does not exist for an external reviewer
    return comment


def _thread(session: Session, principal: Principal, asset: Asset, thread_id: int) -> Comment:
    root = _comment(session, principal, asset, thread_id)
    if root.parent_id is not None:
        raise Invalid(f"comment {thread_id} is a reply; act on its thread ({root.parent_id})")
    return root


def _thread_view(
    session: Session, principal: Principal, asset: Asset, thread_id: int, shown: uuid.UUID | None
) -> ThreadView:
    return thread_views(session, asset, [thread_id], shown)[0]


def _audit(
    session: Session, principal: Principal, asset: Asset, action: str, comment: Comment, extra: dict[str, Any]
) -> None:
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=action,
        object_type="asset",
        object_id=asset.id,
        details={"comment_id": comment.id, "version_id": str(comment.version_id), **extra},
    )
