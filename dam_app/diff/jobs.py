"""The worker's side of a comparison: read both versions' previews, align, find the changed regions,
draw the heatmap, take video keyframes, diff the facts and the copy, and keep it all."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import cv2
from PIL import Image, UnidentifiedImageError
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.assets.renditions import rendition_of
from dam_app.db import on_commit, session_scope
from dam_app.diff import align, fields, pixels, video, words
from dam_app.diff.models import METHOD, DiffImage, DiffStatus, VersionDiff
from dam_app.events import AssetChanged, Audience, publish
from dam_app.fields import utcnow
from dam_app.storage.blobs import get_blob_store
from dam_app.storage.models import ensure_blob
from dam_app.tagging import image_text
from dam_app.tagging.models import TextStatus
from dam_app.worker import queues

log = logging.getLogger(__name__)
PENDING_STATES = {"queued", "started", "scheduled", "deferred"}
SIZE_GAP_NOTED = 4.0  # long sides this many times apart get a note: fine detail cannot be compared


class StillProcessing(Exception):
    """A version has no preview yet because it is still being processed: RQ tries again shortly."""


class CannotCompare(Exception):
    """A version will never have a preview (its processing failed, or it is gone)."""


@dataclass(frozen=True)
class _Side:
    version: Version
    preview: Path
    original: Path
    text: str  # a document's copy, or the text read from a picture


def job_id(diff_id: uuid.UUID) -> str:
    return f"diff-{diff_id}"


def queue_compute(diff_id: uuid.UUID) -> None:
    """Queue the comparison unless its job is already waiting or running (after a commit). Callers
    committing at once take turns (a Redis lock), so the job is queued once."""
    try:
        with queues.sole(f"diff-queue:{diff_id}", seconds=30) as alone:
            if not alone:
                return  # another caller is queueing it this very moment
            state = queues.job_state(job_id(diff_id))
            if state in PENDING_STATES:
                return
            if state is not None:
                queues.forget_job(job_id(diff_id))
            queues.enqueue(compute_diff, str(diff_id), job_id=job_id(diff_id), timeout=600)
    except queues.QueueUnavailable:
        log.warning("comparison %s not queued (Redis unreachable); opening it again queues it", diff_id)


# Failures that another try would repeat: recorded at once, not retried.
LASTING = (
    OSError,
    UnidentifiedImageError,
    Image.DecompressionBombError,
    cv2.error,
    ValueError,
    IndexError,
    av.error.FFmpegError,
)


def ensure_diff(
    session: Session, a: uuid.UUID, b: uuid.UUID, *, retry: bool = False, by: uuid.UUID | None = None
) -> VersionDiff:
    """The pair's comparison row, created when missing; its job is queued once the caller commits
    while it is not done (new, retried, or lost with a Redis restart or a killed worker). For the
    worker's own requests; people's go through `service.request_diff`, which checks what they may read
    and how much they have waiting (`by`: who asked, when this call queues new work)."""
    session.execute(
        insert(VersionDiff)
        .values(
            id=uuid.uuid4(), version_a=a, version_b=b, method=METHOD, status=DiffStatus.QUEUED, step="queued",
            requested_by=by,
        )
        .on_conflict_do_nothing(constraint="uq_version_diffs_pair")
    )  # fmt: skip
    diff = find_diff(session, a, b)
    assert diff is not None  # inserted above, or there already
    if retry and diff.status == DiffStatus.FAILED:
        diff.status, diff.step, diff.progress, diff.error = DiffStatus.QUEUED, "queued", 0, None
        diff.requested_by, diff.created_at = by, utcnow()  # a retry counts as a new request
        session.add(diff)
    if diff.status in (DiffStatus.QUEUED, DiffStatus.RUNNING):  # queue_compute skips a job still pending
        diff_id = diff.id
        on_commit(session, lambda: queue_compute(diff_id))
    return diff


def find_diff(session: Session, a: uuid.UUID, b: uuid.UUID) -> VersionDiff | None:
    """The pair's comparison by the current method, if anyone asked for it already."""
    return session.exec(
        select(VersionDiff).where(VersionDiff.version_a == a, VersionDiff.version_b == b, VersionDiff.method == METHOD)
    ).first()


def compute_diff(diff_id: str) -> None:
    """Compare; idempotent (a second run, e.g. `dam version compare --here` beside the worker, writes
    the same result), and a failure never overwrites a finished comparison."""
    key = uuid.UUID(diff_id)
    with session_scope() as session:
        diff = session.get(VersionDiff, key, with_for_update=True)
        if diff is None or diff.status == DiffStatus.DONE:
            return  # deleted with its versions, or computed by an earlier run
        try:
            a, b = _side(session, diff.version_a), _side(session, diff.version_b)
        except StillProcessing as exc:
            _wait_or_fail(session, diff, exc)
            return
        except CannotCompare as exc:
            _mark_failed(diff, str(exc))
            session.add(diff)
            on_commit(session, lambda: _announce(key))
            return
        diff.status, diff.step, diff.progress, diff.error = DiffStatus.RUNNING, "reading the pictures", 5, None
        diff.attempts += 1
        session.add(diff)
    try:  # outside the transaction: nothing is locked while it computes
        summary: dict[str, Any] = {
            "a": _facts(a.version),
            "b": _facts(b.version),
            "same_bytes": a.version.blob_sha256 == b.version.blob_sha256,
            "fields": fields.field_changes(a.version, b.version),
            "words": _words(a, b),
            "words_from": "picture" if a.version.has_pixels else "copy",
            "pixels": _pixels(key, a, b),
            "video": _video(key, a, b),
        }
    except LASTING as exc:
        _fail(key, f"could not compare the versions: {exc}")
        return
    except Exception as exc:
        if queues.current_job_retries_left() > 0:
            _unless_done(key, step=f"retrying after: {exc}"[:60])
        else:
            _fail(key, "the comparison failed unexpectedly; the worker's log has the details")
        raise
    with session_scope() as session:
        session.execute(
            update(VersionDiff)
            .where(col(VersionDiff.id) == key)
            .values(status=DiffStatus.DONE, step="done", progress=100, summary=summary, finished_at=utcnow())
        )
    _announce(key)


def _announce(key: uuid.UUID) -> None:
    """Tell the open pages of the newer version's asset that the comparison ended, done or failed
    (its Review section says what it found: review/since.py)."""
    with session_scope() as session:
        diff = session.get(VersionDiff, key)
        version = session.get(Version, diff.version_b) if diff is not None else None
        asset = session.get(Asset, version.asset_id) if version is not None else None
        if asset is None:
            return
        event = AssetChanged(asset_id=asset.id, audience=Audience.of(asset), fields=("comparison",))
    publish(event)


def _side(session: Session, version_id: uuid.UUID) -> _Side:
    version = session.get(Version, version_id)
    if version is None:
        raise CannotCompare("one of the versions is gone")
    preview = rendition_of(session, version.id, "preview")
    if preview is None:
        asset = session.get(Asset, version.asset_id)
        if asset is not None and asset.status == AssetStatus.PROCESSING:
            raise StillProcessing(f"{version.label} is still being processed")
        raise CannotCompare(f"{version.label} has no preview (its processing failed), so it cannot be compared")
    store = get_blob_store()
    return _Side(
        version, store.path_of(preview.blob_sha256), store.path_of(version.blob_sha256), _text(session, version)
    )


def _text(session: Session, version: Version) -> str:
    """The words to compare: a document's copy, or what OCR read from a picture (waiting for it
    while the version is still being processed, so "30% OFF -> 40% OFF" is not missed)."""
    if not version.has_pixels:
        return version.extracted_text
    read = image_text.stored_text(session=session, version_id=version.id)
    if read is None:
        asset = session.get(Asset, version.asset_id)
        if asset is not None and asset.status == AssetStatus.PROCESSING:
            raise StillProcessing(f"the text of {version.label} is still being read")
        return ""  # never read (uploaded before OCR, or its ocr stage failed): pixels only
    return read.text if read.status == TextStatus.READ else ""


def _wait_or_fail(session: Session, diff: VersionDiff, why: StillProcessing) -> None:
    """Raise so RQ retries later (the page shows what it waits for); out of retries, fail saying why."""
    if queues.current_job_retries_left() > 0:
        diff.step = f"waiting: {why}"[:60]
        session.add(diff)
        session.commit()
        raise why
    _mark_failed(diff, f"{why} (gave up waiting; open the comparison again to retry)")
    session.add(diff)


def _mark_failed(diff: VersionDiff, message: str) -> None:
    diff.status, diff.error, diff.step, diff.finished_at = DiffStatus.FAILED, message, "failed", utcnow()


def _progress(key: uuid.UUID, percent: int, step: str) -> None:
    _unless_done(key, progress=percent, step=step)


def _fail(key: uuid.UUID, message: str) -> None:
    _unless_done(key, status=DiffStatus.FAILED, step="failed", error=message[:2000], finished_at=utcnow())
    _announce(key)


def _unless_done(key: uuid.UUID, **values: Any) -> None:
    """Write to the comparison's row unless another run finished it meanwhile (done stays done)."""
    with session_scope() as session:
        session.execute(
            update(VersionDiff)
            .where(col(VersionDiff.id) == key, col(VersionDiff.status) != DiffStatus.DONE)
            .values(**values)
        )


def _facts(version: Version) -> dict[str, Any]:
    return {
        "id": str(version.id),
        "asset_id": str(version.asset_id),
        "label": version.label,
        "width": version.width,
        "height": version.height,
        "mime": version.mime,
    }


def _words(a: _Side, b: _Side) -> words.WordDiff | None:
    if not (a.text or b.text):
        return None
    return words.word_diff(a.text, b.text)


def _pixels(key: uuid.UUID, a: _Side, b: _Side) -> dict[str, Any]:
    with Image.open(a.preview) as pa, Image.open(b.preview) as pb:
        picture_a, picture_b = pa.convert("RGB"), pb.convert("RGB")
    _progress(key, 20, "aligning")
    aligned = align.align(picture_a, picture_b)
    original = (a.version.width or picture_a.width, a.version.height or picture_a.height)
    _progress(key, 55, "finding the changes")
    found = pixels.compare(aligned, original)
    _progress(key, 75, "drawing the heatmap")
    height, width = aligned.reference.shape[:2]
    _keep_image(key, "heatmap", pixels.heatmap_jpeg(aligned, found, original), width, height)
    _keep_image(key, "aligned", pixels.aligned_jpeg(aligned), width, height)
    per_px = original[0] / width
    return {
        "compared_at": [width, height],
        "alignment": aligned.method,
        "shift_px": [round(aligned.shift_px[0] * per_px, 1), round(aligned.shift_px[1] * per_px, 1)],
        "scale": round(aligned.scale, 4),
        "coverage": round(aligned.coverage, 4),
        "correlation": round(aligned.score, 4),
        "changed": found.changed_fraction,
        "identical": found.identical,
        "regions": [r.as_dict() for r in found.regions],
        "note": _size_note(a.version, b.version, width),
    }


def _size_note(a: Version, b: Version, compared_px: int) -> str:
    long_a, long_b = max(a.width or 0, a.height or 0), max(b.width or 0, b.height or 0)
    if not long_a or not long_b or max(long_a, long_b) / min(long_a, long_b) < SIZE_GAP_NOTED:
        return ""
    smaller, larger = (a, b) if long_a < long_b else (b, a)
    factor = max(long_a, long_b) / min(long_a, long_b)
    return (
        f"{smaller.label} is {factor:.0f}x smaller than {larger.label} ({smaller.width} x {smaller.height} against "
        f"{larger.width} x {larger.height}): compared at {compared_px} px wide, finer detail cannot be compared"
    )


def _video(key: uuid.UUID, a: _Side, b: _Side) -> dict[str, Any] | None:
    if not (a.version.mime.startswith("video/") or b.version.mime.startswith("video/")):
        return None
    _progress(key, 85, "taking keyframes")
    counts = {}
    for name, side in (("a", a), ("b", b)):
        is_video = side.version.mime.startswith("video/")
        frames = video.keyframes(side.original, side.version.duration_s) if is_video else []
        for index, frame in enumerate(frames):
            _keep_image(key, f"keyframe-{name}-{index}", pixels.encode_jpeg(frame), frame.width, frame.height)
        counts[name] = len(frames)
    return {"keyframes_a": counts["a"], "keyframes_b": counts["b"], "shares": list(video.KEYFRAME_SHARES)}


def _keep_image(key: uuid.UUID, name: str, data: bytes, width: int, height: int) -> None:
    stored = get_blob_store().put_bytes(data)
    with session_scope() as session:
        ensure_blob(session, stored.sha256, stored.size, "image/jpeg")
        session.execute(
            insert(DiffImage)
            .values(
                id=uuid.uuid4(),
                diff_id=key,
                name=name,
                blob_sha256=stored.sha256,
                mime="image/jpeg",
                width=width,
                height=height,
            )
            .on_conflict_do_update(
                constraint="uq_diff_images_name", set_={"blob_sha256": stored.sha256, "width": width, "height": height}
            )
        )
