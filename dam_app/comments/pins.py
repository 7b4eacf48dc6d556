"""The worker's side of comments: when a version is added, carry every open thread's pin from where
it last stood onto the new version (comments/carry.py), keeping how it was placed. Threads are
grouped by the version they come from, so each pair of pictures is aligned once."""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, Rendition, Version
from dam_app.comments import anchors, carry, frames
from dam_app.comments.models import Comment, CommentPlacement, Placement
from dam_app.db import session_scope
from dam_app.diff.video import frame_at
from dam_app.storage.blobs import get_blob_store
from dam_app.worker import queues

log = logging.getLogger(__name__)


def carry_thread(thread_id: int) -> int:
    """Place one thread on every version after the one it was made on, in order (it was reopened,
    or started on an older version); how many versions it was placed on."""
    with session_scope() as session:
        root = session.get(Comment, thread_id)
        made_on = session.get(Version, root.version_id) if root is not None else None
        if root is None or made_on is None or root.resolved:
            return 0
        later = session.exec(
            select(Version)
            .where(col(Version.asset_id) == root.asset_id, col(Version.created_at) > made_on.created_at)
            .order_by(col(Version.created_at))
        ).all()
        for version in later:
            carry_to(session, version, only=[thread_id])
        return len(later)


def carry_thread_soon(thread_id: int) -> None:
    """In a worker (an alignment takes a second or two); with the queue unreachable, on a thread here."""
    queues.enqueue_or_run(carry_thread, thread_id, job_id=f"pins-thread-{thread_id}")


def carry_to(session: Session, version: Version, only: list[int] | None = None) -> int:
    """Place the open threads of the asset's earlier versions (or just `only`) on `version`; how
    many were placed."""
    asset = session.get(Asset, version.asset_id)
    if asset is None:
        return 0
    roots = session.exec(
        select(Comment)
        .join(Version, col(Version.id) == col(Comment.version_id))
        .where(
            col(Comment.asset_id) == asset.id,
            col(Comment.parent_id).is_(None),
            col(Comment.resolved).is_(False),
            col(Comment.version_id) != version.id,
            col(Version.created_at) < version.created_at,
            col(Comment.id).in_(only) if only is not None else col(Comment.id).is_not(None),
        )
    ).all()
    if not roots:
        return 0
    by_hand = set(
        session.exec(
            select(CommentPlacement.comment_id).where(
                col(CommentPlacement.version_id) == version.id, col(CommentPlacement.state) == Placement.PLACED
            )
        )
    )
    roots = [r for r in roots if r.id not in by_hand]  # a person put these here: nothing to work out
    if not roots:
        return 0
    sources = _last_places(session, [r.id for r in roots if r.id is not None], version)
    by_source: dict[Any, list[tuple[Comment, dict[str, Any] | None]]] = defaultdict(list)
    for root in roots:
        source_version, anchor = sources.get(root.id, (root.version_id, root.anchor))
        by_source[source_version].append((root, anchor))
    placed = 0
    for source_id, items in by_source.items():
        source = session.get(Version, source_id)
        if source is None:
            continue
        placer = _Placer(session, asset, source, version)
        for root, anchor in items:
            result = placer.place(anchor)
            session.execute(
                insert(CommentPlacement)
                .values(
                    comment_id=root.id,
                    version_id=version.id,
                    anchor=result.anchor,
                    state=result.state,
                    note=result.note,
                )
                .on_conflict_do_update(
                    constraint="uq_comment_placements",
                    set_={"anchor": result.anchor, "state": result.state, "note": result.note},
                    where=col(CommentPlacement.state) != Placement.PLACED,  # a person's placement stands
                )
            )
            if (moment := frames.moment_of(result.anchor)) is not None:
                frames.keep_frame(session, version, moment)
            placed += 1
    return placed


def _last_places(
    session: Session, thread_ids: list[int], version: Version
) -> dict[int | None, tuple[Any, dict[str, Any] | None]]:
    """Each thread's latest placement on an earlier version that found a place: where to carry from."""
    rows = session.exec(
        select(CommentPlacement, Version.created_at)
        .join(Version, col(Version.id) == col(CommentPlacement.version_id))
        .where(
            col(CommentPlacement.comment_id).in_(thread_ids),
            col(CommentPlacement.state) != Placement.UNPLACED,
            col(Version.created_at) < version.created_at,
        )
        .order_by(col(Version.created_at))
    ).all()
    return {p.comment_id: (p.version_id, p.anchor) for p, _ in rows}


class _Placer:
    """Places pins from one version onto another, loading each picture or frame once."""

    def __init__(self, session: Session, asset: Asset, old: Version, new: Version) -> None:
        self.session, self.asset, self.old, self.new = session, asset, old, new
        self._match: carry.PictureMatch | bool | None = False  # False: not tried yet

    def place(self, anchor: dict[str, Any] | None) -> carry.Placed:
        if anchor is None:
            return carry.Placed(None, Placement.UNTOUCHED, "on the whole version: still open")
        kind = anchor.get("kind")
        if kind in (anchors.REGION, anchors.POINT):
            box = anchors.box_of(anchor)
            match = self._picture_match()
            if box is None or match is None:
                return carry.Placed(None, Placement.UNPLACED, "the new version has no picture to compare")
            return match.place(box)
        if kind == anchors.TIME:
            return self._time(anchor)
        if kind == anchors.TEXT:
            field = str(anchor.get("field", "copy"))
            texts = {
                "copy": self.new.extracted_text or "",
                "title": self.asset.title,
                "description": self.asset.description,
            }
            return carry.place_text(anchor, texts.get(field, ""))
        return carry.Placed(None, Placement.UNPLACED, f"unknown anchor kind {kind!r}")

    def _picture_match(self) -> carry.PictureMatch | None:
        if self._match is False:
            old, new = self._preview(self.old), self._preview(self.new)
            try:
                self._match = carry.PictureMatch(old, new) if old is not None and new is not None else None
            except Exception:
                log.exception("aligning %s with %s failed; their pins are flagged", self.old.id, self.new.id)
                self._match = None
        return self._match if isinstance(self._match, carry.PictureMatch) else None

    def _preview(self, version: Version) -> Image.Image | None:
        rendition = self.session.exec(
            select(Rendition).where(col(Rendition.version_id) == version.id, col(Rendition.kind) == "preview")
        ).first()
        if rendition is None:
            return None
        with Image.open(get_blob_store().path_of(rendition.blob_sha256)) as image:
            return image.convert("RGB")

    def _time(self, anchor: dict[str, Any]) -> carry.Placed:
        times = anchors.times_of(anchor)
        duration = self.new.duration_s if self.new.mime.startswith("video/") else None
        alike: bool | None = None
        if times is not None and duration is not None and times[0] <= duration:
            try:
                old_frame = frame_at(self._path(self.old), times[0])
                new_frame = frame_at(self._path(self.new), times[0])
                alike = carry.frames_alike(old_frame, new_frame) if old_frame and new_frame else None
            except Exception:
                log.exception("comparing frames at %.1f s failed", times[0])
        return carry.place_time(anchor, duration, alike)

    def _path(self, version: Version) -> Path:
        return get_blob_store().path_of(version.blob_sha256)
