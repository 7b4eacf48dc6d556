"""The frame a video comment is about, kept as a small rendition of its version ("frame-12500" for
12.5 s), so the thread list shows the moment without anyone opening the player. Made by the worker
when a thread starts at a time, and when the pins stage carries one to a later version."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlmodel import Session, col, select

from dam_app.assets.media import render
from dam_app.assets.models import Rendition, Version
from dam_app.assets.renditions import FRAME_PREFIX, keep_rendition, rendition_of
from dam_app.comments import anchors
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.diff.video import frame_at
from dam_app.storage.blobs import get_blob_store
from dam_app.worker import queues

log = logging.getLogger(__name__)
PREFIX = FRAME_PREFIX


def frame_kind(seconds: float) -> str:
    return f"{PREFIX}{round(seconds * 1000)}"


def moment_of(anchor: dict[str, Any] | None) -> float | None:
    """The start of a time anchor, in seconds; None for any other anchor."""
    times = anchors.times_of(anchor) if anchor else None
    return times[0] if times else None


def keep_frame(session: Session, version: Version, seconds: float) -> bool:
    """Make the version's frame at `seconds` unless it exists; False when it is no video or the
    moment cannot be decoded (the thread then shows its time alone)."""
    if not version.mime.startswith("video/"):
        return False
    kind = frame_kind(seconds)
    if rendition_of(session, version.id, kind) is not None:
        return True
    try:
        image = frame_at(get_blob_store().path_of(version.blob_sha256), seconds)
    except Exception:
        log.warning("no frame at %.3f s of version %s", seconds, version.id, exc_info=True)
        return False
    if image is None:
        return False
    keep_rendition(session, version.id, kind, render(image, get_settings().thumbnail_px))
    return True


def keep_frame_job(version_id: str, seconds: float) -> bool:
    with session_scope() as session:
        version = session.get(Version, uuid.UUID(version_id))
        return version is not None and keep_frame(session, version, seconds)


def keep_frame_soon(version_id: uuid.UUID, seconds: float) -> None:
    queues.enqueue_or_run(keep_frame_job, str(version_id), seconds, job_id=f"{frame_kind(seconds)}-{version_id}")


def frame_renditions(
    session: Session, wanted: list[tuple[uuid.UUID, float]]
) -> dict[tuple[uuid.UUID, float], uuid.UUID]:
    """The rendition id of each (version, moment) whose frame exists: one query for a page."""
    if not wanted:
        return {}
    kinds = {frame_kind(seconds): seconds for _, seconds in wanted}
    rows = session.exec(
        select(Rendition.version_id, Rendition.kind, Rendition.id).where(
            col(Rendition.version_id).in_({v for v, _ in wanted}), col(Rendition.kind).in_(kinds)
        )
    ).all()
    return {(version_id, kinds[kind]): rendition_id for version_id, kind, rendition_id in rows}
