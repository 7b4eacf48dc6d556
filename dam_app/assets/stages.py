"""The assets domain's processing stages: embedded metadata, media facts, renditions.

Each is idempotent (it upserts what it derives); `dam_app.stages` puts them in the pipeline.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlmodel import Session, select

from dam_app.assets.filenames import title_from_filename
from dam_app.assets.media import document_text, open_image, probe_video, render, render_text_page
from dam_app.assets.metadata import EmbeddedFacts, interpret, read_embedded
from dam_app.assets.models import Asset, RightsRecord, RightsTerms, Version
from dam_app.assets.proxy import PROXY, NoProxy, write_proxy
from dam_app.assets.renditions import keep_rendition, keep_rendition_file
from dam_app.config import get_settings
from dam_app.fields import utcnow
from dam_app.processing import service as processing_service
from dam_app.processing.stages import HEAVY_QUEUE, Stage, StageInput
from dam_app.storage.blobs import get_blob_store
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import PERSON_TAG, TagKind, TagSource

log = logging.getLogger(__name__)


def on_version(step: Callable[[Session, Version, Path], None]) -> Callable[[StageInput], None]:
    """A stage written against the version row and its file, as the registry calls it."""

    def run(job: StageInput) -> None:
        version = job.session.get(Version, job.version_id)
        if version is None:
            raise LookupError(f"version {job.version_id} is gone")
        step(job.session, version, job.source)

    return run


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
    for kind, size in (("thumbnail", settings.thumbnail_px), ("preview", settings.preview_px)):
        keep_rendition(session, version.id, kind, render(image, size))


def _stage_proxy(session: Session, version: Version, source: Path) -> None:
    """A video's viewing copy (assets/proxy.py); nothing for other kinds."""
    if not version.mime.startswith("video/"):
        return
    with tempfile.TemporaryDirectory(prefix="proxy-", dir=_scratch()) as folder:
        target = Path(folder) / "proxy.mp4"
        try:
            made = write_proxy(source, target, version.duration_s)
        except NoProxy as exc:  # the page plays the original; the stages after this one go on
            log.warning("no viewing copy of version %s: %s", version.id, exc)
            processing_service.note_stage(session=session, version_id=version.id, stage=PROXY, note=f"no copy: {exc}")
            return
        keep_rendition_file(session, version.id, PROXY, target, "video/mp4", (made.width, made.height))


def _scratch() -> Path:
    """Where a transcode writes: beside the blobs (on disk, not a RAM-backed /tmp)."""
    folder = get_blob_store().tmp_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _rendition_source(version: Version, source: Path, target_px: int) -> Image.Image:
    if version.mime.startswith("image/"):
        return open_image(source, target_px=target_px)
    if version.mime.startswith("video/"):
        return probe_video(source)[1].convert("RGB")
    text = version.extracted_text or document_text(source, version.mime)
    return render_text_page(text)


def _upsert_embedded_rights(session: Session, asset_id: uuid.UUID, facts: EmbeddedFacts) -> None:
    """The asset's one record of what its newest file states, unless people keep its records (a
    person's word outranks what a later file says). The file names no territory: the verdict asks
    a person to confirm it (rights/verdicts.py)."""
    records = session.exec(select(RightsRecord).where(RightsRecord.asset_id == asset_id)).all()
    if any(r.source != "embedded" for r in records):
        return
    record = records[0] if records else RightsRecord(asset_id=asset_id)
    for name in RightsTerms.model_fields:  # every term a file can state, declared once
        setattr(record, name, getattr(facts, name))
    if record.licence_start and record.licence_end and record.licence_start >= record.licence_end:
        record.licence_start = None  # a file stating an end before its start: the end is the safer fact
    record.source = "embedded"
    record.updated_at = utcnow()
    session.add(record)


def _title_is_from_filename(asset: Asset, version: Version) -> bool:
    return asset.title == title_from_filename(version.original_filename)


STAGES = (
    Stage("metadata", on_version(_stage_metadata)),
    Stage("media", on_version(_stage_media), follows="metadata"),
    Stage("renditions", on_version(_stage_renditions), follows="media"),
    # On the heavy queue, in the same hand-off as reading the text (which follows "visual" too): a
    # picture passes through at no cost, a long video's transcoding never holds up another upload's
    # previews, and reading a picture's text again does not transcode anything.
    Stage(PROXY, on_version(_stage_proxy), follows="visual", queue=HEAVY_QUEUE),
)
