"""What a page, the API and the CLI read of comments: threads with their comments, edit counts and
where their pins stand on the version shown, built in five queries whatever the page's length."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.assets.models import Asset, Version
from dam_app.comments import anchors, frames
from dam_app.comments.models import PLACEMENT_LABELS, Comment, CommentEdit, CommentPlacement, Placement


class CommentView(BaseModel):
    id: int
    author: str
    body: str
    internal: bool
    created_at: datetime
    edited_at: datetime | None
    edits: int


class ThreadView(BaseModel):
    """A thread, its pin where it stands on the version asked for (placement: "" on the version it
    was made on; untouched, changed or unplaced on a later one), and its comments, oldest first."""

    id: int
    version_id: uuid.UUID
    version_label: str
    anchor: dict[str, Any] | None  # where the pin stands on the version read (None: whole version or unplaced)
    placement: str  # "" on its own version; else untouched, changed or unplaced
    placement_label: str
    placement_note: str
    resolved: bool
    internal: bool
    comments: list[CommentView]
    frame_id: uuid.UUID | None = None  # a video thread: the rendition showing its frame (GET /renditions/ID)
    kind: str = ""  # what its pin points at: picture, time, text; "" for the whole version


class ThreadsPage(BaseModel):
    threads: list[ThreadView]
    total: int
    open: int


class MentionView(BaseModel):
    """Where someone was @mentioned: the asset, the thread, who, and whether they have seen it."""

    id: int
    asset_id: uuid.UUID
    asset_title: str
    thread_id: int
    by: str
    excerpt: str
    at: datetime
    seen: bool


def thread_views(session: Session, asset: Asset, thread_ids: list[int], shown: uuid.UUID | None) -> list[ThreadView]:
    """The threads (in this order) with their comments, edit counts, on `shown` their pins, and a
    video thread's frame: five queries for a page, whatever its length."""
    if not thread_ids:
        return []
    rows = session.exec(
        select(Comment, User.email)
        .join(User, col(User.id) == col(Comment.author_id), isouter=True)
        .where(
            col(Comment.asset_id) == asset.id,
            or_(col(Comment.id).in_(thread_ids), col(Comment.parent_id).in_(thread_ids)),
        )
        .order_by(col(Comment.id))
    ).all()
    edits = dict(
        session.exec(
            select(CommentEdit.comment_id, func.count())
            .where(col(CommentEdit.comment_id).in_([c.id for c, _ in rows]))
            .group_by(col(CommentEdit.comment_id))
        ).all()
    )
    placed: dict[int, CommentPlacement] = {}
    if shown is not None:
        placed = {
            p.comment_id: p
            for p in session.exec(
                select(CommentPlacement).where(
                    col(CommentPlacement.comment_id).in_(thread_ids), col(CommentPlacement.version_id) == shown
                )
            )
        }
    by_thread: dict[int, list[tuple[Comment, str | None]]] = {}
    for comment, email in rows:
        by_thread.setdefault(comment.parent_id or comment.id or 0, []).append((comment, email))
    labels = {
        v.id: v.label for v in session.exec(select(Version).where(col(Version.id).in_({c.version_id for c, _ in rows})))
    }
    shown_at: dict[int, tuple[uuid.UUID, dict[str, Any] | None, CommentPlacement | None]] = {}
    for thread_id in thread_ids:
        if found := by_thread.get(thread_id):
            root = found[0][0]
            p = placed.get(thread_id) if shown is not None and shown != root.version_id else None
            shown_at[thread_id] = (p.version_id, p.anchor, p) if p is not None else (root.version_id, root.anchor, None)
    moments = {t: (v, m) for t, (v, anchor, _) in shown_at.items() if (m := frames.moment_of(anchor)) is not None}
    frame_ids = frames.frame_renditions(session, list(moments.values()))
    views = []
    for thread_id in thread_ids:
        found = by_thread.get(thread_id)
        if not found:
            continue
        root = found[0][0]
        _, anchor, p = shown_at[thread_id]
        placement, note = (p.state, p.note) if p is not None else ("", "")
        views.append(
            ThreadView(
                id=thread_id,
                version_id=root.version_id,
                version_label=labels.get(root.version_id, ""),
                anchor=anchor,
                placement=placement,
                placement_label=PLACEMENT_LABELS.get(Placement(placement), "") if placement else "",
                placement_note=note,
                resolved=root.resolved,
                internal=root.internal,
                frame_id=frame_ids.get(moments[thread_id]) if thread_id in moments else None,
                kind=anchors.family(root.anchor),
                comments=[
                    CommentView(
                        id=c.id or 0,
                        author=email or "system",
                        body=c.body,
                        internal=c.internal,
                        created_at=c.created_at,
                        edited_at=c.edited_at,
                        edits=edits.get(c.id or 0, 0),
                    )
                    for c, email in found
                ],
            )
        )
    return views
