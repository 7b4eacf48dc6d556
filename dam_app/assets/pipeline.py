"""The ingest stages a worker runs on a version: metadata, media facts, renditions, the visual
signature, the search document.

Each stage is idempotent (it upserts what it derives) and is skipped once it has succeeded, so a
retry after a crash or a killed worker resumes where the last attempt stopped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.filenames import title_from_filename
from dam_app.assets.ingest import ensure_blob
from dam_app.assets.media import document_text, open_image, probe_video, render, render_text_page
from dam_app.assets.metadata import EmbeddedFacts, interpret, read_embedded
from dam_app.assets.models import Asset, AssetStatus, Rendition, RightsRecord, Version
from dam_app.config import get_settings
from dam_app.fields import utcnow
from dam_app.processing import service as processing_service
from dam_app.processing.models import JobStatus
from dam_app.search import documents as search_documents
from dam_app.search import signatures as search_signatures
from dam_app.storage.blobs import get_blob_store
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import PERSON_TAG, TagKind, TagSource


class VersionGone(LookupError):
    """The version was deleted after the job was queued: nothing to do."""


class WorkerLost(RuntimeError):
    """A stage started again and again and never finished: the process running it died each time."""


def process_version(*, session: Session, version_id: uuid.UUID, final_attempt: bool) -> str:
    """Run every pending stage; on the final failed attempt mark the asset failed, visibly."""
    version = session.get(Version, version_id)
    if version is None:
        raise VersionGone(str(version_id))
    stages: dict[str, Callable[[Session, Version, Path], None]] = {
        "metadata": _stage_metadata,
        "media": _stage_media,
        "renditions": _stage_renditions,
        "visual": _stage_visual,
        "index": _stage_index,
    }
    source = get_blob_store().path_of(version.blob_sha256)
    limit = get_settings().job_retries + 1
    for run in processing_service.stages_for(session=session, version_id=version_id):
        if run.status == JobStatus.SUCCEEDED or run.stage not in stages:
            continue
        _publish(version, run.stage, "running")
        try:
            with processing_service.track_stage(session=session, run=run):
                stages[run.stage](session, version, source)
        except Exception as exc:
            # A job queued again by the sweeper has a fresh retry budget; the stage's own count decides.
            _record_failure(session, version, run.stage, exc, final_attempt or run.attempts >= limit)
            _publish(version, run.stage, "failed")
            raise
        _publish(version, run.stage, "succeeded")
    _mark_ready(session, version)
    _publish(version, "all", "ready")
    return "ready"


def _stage_metadata(session: Session, version: Version, source: Path) -> None:
    tags = read_embedded(source)
    facts = interpret(tags)
    version.embedded_metadata = tags
    if not version.mime.startswith(("image/", "video/")):
        version.extracted_text = document_text(source, version.mime)[:200_000]
    session.add(version)
    asset = session.get(Asset, version.asset_id)
    assert asset is not None
    if facts.title and _title_is_from_filename(asset, version):
        asset.title = facts.title[:300]
    if facts.description and not asset.description:
        asset.description = facts.description
    session.add(asset)
    tagging_service.attach_many(
        session=session,
        asset_id=asset.id,
        kind=TagKind.VISUAL,
        names=facts.keywords[:50],
        source=TagSource.PERSON,
        evidence="embedded IPTC/XMP keyword",
    )
    if evidence := facts.shows_person:  # pixel-based detection arrives with auto-tagging
        tagging_service.attach(
            session=session,
            asset_id=asset.id,
            kind=TagKind.VISUAL,
            name=PERSON_TAG,
            source=TagSource.AUTO,
            confidence=0.9,
            evidence=f"embedded metadata: {evidence}",
        )
    if facts.has_rights:
        _upsert_embedded_rights(session, asset.id, facts)


def _stage_media(session: Session, version: Version, source: Path) -> None:
    if version.mime.startswith("video/"):
        probe, _ = probe_video(source)
        version.width, version.height = probe.width, probe.height
        version.duration_s = probe.duration_s
        version.video_codec, version.audio_codec = probe.video_codec, probe.audio_codec
        version.frame_rate = probe.frame_rate
    elif version.mime.startswith("image/"):
        with Image.open(source) as im:
            version.width, version.height = im.size
            version.page_count = getattr(im, "n_frames", 1)
    session.add(version)


def _stage_renditions(session: Session, version: Version, source: Path) -> None:
    settings = get_settings()
    image = _rendition_source(version, source, settings.preview_px)
    store = get_blob_store()
    for kind, size in (("thumbnail", settings.thumbnail_px), ("preview", settings.preview_px)):
        rendered = render(image, size)
        stored = store.put_bytes(rendered.data)
        ensure_blob(session, stored.sha256, stored.size, rendered.mime)
        session.execute(
            insert(Rendition)
            .values(
                id=uuid.uuid4(),
                version_id=version.id,
                kind=kind,
                blob_sha256=stored.sha256,
                mime=rendered.mime,
                width=rendered.width,
                height=rendered.height,
                created_at=utcnow(),
            )
            .on_conflict_do_update(
                constraint="uq_renditions_kind",
                set_={"blob_sha256": stored.sha256, "width": rendered.width, "height": rendered.height},
            )
        )


def _stage_visual(session: Session, version: Version, _source: Path) -> None:
    search_signatures.store_signature(session=session, version=version)


def _stage_index(session: Session, version: Version, _source: Path) -> None:
    search_documents.index_asset(session=session, asset_id=version.asset_id)


def _rendition_source(version: Version, source: Path, target_px: int) -> Image.Image:
    if version.mime.startswith("image/"):
        return open_image(source, target_px=target_px)
    if version.mime.startswith("video/"):
        return probe_video(source)[1].convert("RGB")
    text = version.extracted_text or document_text(source, version.mime)
    return render_text_page(text)


def _upsert_embedded_rights(session: Session, asset_id: uuid.UUID, facts: EmbeddedFacts) -> None:
    record = session.get(RightsRecord, asset_id)
    if record is not None and record.source == "person":
        return  # a person's edits outrank what a later file says
    record = record or RightsRecord(asset_id=asset_id)
    for name in (
        "creator",
        "credit_line",
        "copyright_notice",
        "usage_terms",
        "licence_source",
        "licence_id",
        "licence_start",
        "licence_end",
        "model_release_status",
        "property_release_status",
    ):
        setattr(record, name, getattr(facts, name))
    record.source = "embedded"
    record.updated_at = utcnow()
    session.add(record)


def _title_is_from_filename(asset: Asset, version: Version) -> bool:
    return asset.title == title_from_filename(version.original_filename)


def _mark_ready(session: Session, version: Version) -> None:
    asset = session.get(Asset, version.asset_id)
    if asset is None:
        return
    version.processing_error = None
    session.add(version)
    if asset.current_version_id == version.id and asset.status != AssetStatus.ARCHIVED:
        asset.status = AssetStatus.READY
        asset.updated_at = utcnow()
        session.add(asset)
    session.commit()


def abandon(*, session: Session, version_id: uuid.UUID, attempts: int) -> None:
    """Record a version failed whose stage never finished in `attempts` tries (the sweeper found the
    queue had given up on it): the asset shows "failed" with the reason instead of processing forever."""
    version = session.get(Version, version_id)
    if version is None:
        return
    runs = processing_service.stages_for(session=session, version_id=version_id)
    stuck = next((r for r in runs if r.status == JobStatus.RUNNING), None)
    stage = stuck.stage if stuck else "processing"
    exc = WorkerLost(f"the worker stopped while running this stage, {attempts} times")
    if stuck is not None:
        stuck.status = JobStatus.FAILED
        stuck.error = f"{type(exc).__name__}: {exc}"
        stuck.finished_at = utcnow()
        session.add(stuck)
    _record_failure(session, version, stage, exc, True)
    _publish(version, stage, "failed")


def _record_failure(session: Session, version: Version, stage: str, exc: Exception, final: bool) -> None:
    version = session.get(Version, version.id) or version
    version.processing_error = f"{stage}: {type(exc).__name__}: {exc}"[:2000]
    session.add(version)
    asset = session.get(Asset, version.asset_id)
    if final and asset is not None and asset.current_version_id == version.id:
        has_ready_version = session.exec(
            select(Version.id).where(
                Version.asset_id == asset.id,
                Version.id != version.id,
                col(Version.processing_error).is_(None),
            )
        ).first()
        asset.status = AssetStatus.READY if has_ready_version else AssetStatus.FAILED
        session.add(asset)
    session.commit()


def _publish(version: Version, stage: str, status: str) -> None:
    from dam_app.worker import queues

    queues.publish(
        f"assets:{version.asset_id}",
        {"event": "stage", "version_id": str(version.id), "stage": stage, "status": status},
    )
