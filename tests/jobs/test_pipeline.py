"""The real RQ worker processes ingests: metadata, media facts, renditions, failures, a killed worker."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from PIL import Image
from sqlmodel import select

from dam_app.assets import service as assets_service
from dam_app.assets.classify import Classification
from dam_app.assets.ingest import ingest_file
from dam_app.assets.models import Version
from dam_app.db import session_scope
from dam_app.processing.models import JobRun
from dam_app.runtime.health import collect_status
from dam_app.storage.blobs import get_blob_store
from tests.conftest import WorkerProcess, ingest_path, wait_until_processed


def _tag_with_iptc(path: Path) -> None:
    subprocess.run(
        [
            "exiftool",
            "-q",
            "-overwrite_original",
            "-XMP-dc:Title=Aero Run hero shot",
            "-IPTC:ObjectName=ignored because XMP wins",
            "-XMP-dc:Description=Blue running shoe on studio background",
            "-XMP-dc:Subject=running",
            "-XMP-dc:Subject=shoe",
            "-XMP-dc:Creator=Li Wei",
            "-XMP-dc:Rights=(c) 2026 Aero Brand",
            "-XMP-xmpRights:UsageTerms=Paid social only",
            "-XMP-plus:LicenseEndDate=2027:06:30",
            "-XMP-plus:ModelReleaseStatus#=http://ns.useplus.org/ldf/vocab/MR-NON",
            str(path),
        ],
        check=True,
    )


def test_image_gets_metadata_rights_tags_and_renditions(worker, admin, sample_files) -> None:
    _tag_with_iptc(sample_files["jpeg"])
    result = ingest_path(admin, sample_files["jpeg"])
    assert wait_until_processed(result.asset_id) == "ready"
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=admin, asset_id=result.asset_id)
    assert detail.asset.title == "Aero Run hero shot"
    assert detail.asset.description == "Blue running shoe on studio background"
    assert {t.name for t in detail.tags if t.source == "person"} == {"running", "shoe"}  # the file's keywords
    assert {t.name for t in detail.tags if t.source == "auto"} == {"text", "English text"}  # its label, read
    embedded = next(r for r in detail.rights if r.source == "embedded")
    assert (embedded.creator, embedded.copyright_notice) == ("Li Wei", "(c) 2026 Aero Brand")
    assert embedded.model_release_status == "MR-NON"
    assert embedded.licence_end is not None and embedded.licence_end.year == 2027
    assert detail.current is not None and detail.current.embedded_metadata["XMP-dc:Creator"] == ["Li Wei"]
    thumb, preview = detail.renditions["thumbnail"], detail.renditions["preview"]
    assert max(thumb.width, thumb.height) == 320 and max(preview.width, preview.height) == 900
    with Image.open(get_blob_store().path_of(thumb.blob_sha256)) as im:
        assert im.size == (thumb.width, thumb.height) and im.format == "JPEG"
    assert {s.stage: s.status for s in detail.stages} == {
        "metadata": "succeeded",
        "media": "succeeded",
        "renditions": "succeeded",
        "visual": "succeeded",
        "proxy": "succeeded",
        "ocr": "succeeded",
        "index": "succeeded",
        "compliance": "succeeded",
        "since-approved": "succeeded",
        "verdict": "succeeded",
        "pins": "succeeded",
    }
    # The shot is a blue product on an off-white studio background, square.
    assert detail.asset.colours[:2] == ["white", "blue"] and detail.asset.orientation == "square"
    assert all(s.duration_ms is not None and s.attempts == 1 for s in detail.stages)
    from dam_app.search import service as search_service

    with session_scope() as session:
        found = search_service.search(session=session, principal=admin, query="running shoe studio")
    assert found.hits and found.hits[0].card.asset.id == result.asset_id


def test_video_gets_duration_codec_and_poster(worker, admin, sample_files) -> None:
    result = ingest_path(admin, sample_files["video"])
    assert wait_until_processed(result.asset_id) == "ready"
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=admin, asset_id=result.asset_id)
    current = detail.current
    assert current is not None
    assert (current.width, current.height, current.video_codec) == (320, 568, "h264")
    assert current.duration_s is not None and 0.8 <= current.duration_s <= 1.2
    assert detail.renditions["thumbnail"].height == 320
    proxy = detail.renditions["proxy"]  # the viewing copy the page plays
    assert (proxy.mime, proxy.width, proxy.height) == ("video/mp4", 320, 568)


def test_copy_document_text_is_read_and_rendered(worker, admin, sample_files) -> None:
    result = ingest_path(admin, sample_files["copy"])
    assert wait_until_processed(result.asset_id) == "ready"
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=admin, asset_id=result.asset_id)
    assert detail.current is not None and "Hydra Glow Serum" in detail.current.extracted_text
    assert "preview" in detail.renditions


def test_failing_job_is_retried_then_marked_failed_visibly(worker, admin, sample_files) -> None:
    with session_scope() as session:
        from dam_app.assets.ingest import IngestFields as Fields

        result = ingest_file(
            session=session,
            principal=admin,
            path=sample_files["png"],
            filename="banner.png",
            fields=Fields(classification=Classification(markets=["JP"])),
        )
        assert result.asset_id is not None
        version = session.get(Version, result.version_id)
        assert version is not None
        # The stored original disappears before the worker runs (a lost disk, a bad restore).
        get_blob_store().path_of(version.blob_sha256).unlink()
    assert wait_until_processed(result.asset_id, timeout=60) == "failed"
    with session_scope() as session:
        run = session.exec(
            select(JobRun).where(JobRun.version_id == result.version_id, JobRun.stage == "metadata")
        ).one()
        version = session.get(Version, result.version_id)
    assert run.status == "failed" and run.attempts == 2
    assert version is not None and "metadata:" in (version.processing_error or "")
    report = collect_status()
    assert any(f["asset_id"] == str(result.asset_id) and f["stage"] == "metadata" for f in report["failed_stages"])


def test_killed_worker_leaves_asset_readable_and_job_is_retried(services, admin, tmp_path) -> None:
    from dam_app.worker import queues

    noisy = tmp_path / "poster.png"
    Image.effect_noise((3000, 3000), 80).convert("RGB").save(noisy)  # slow enough to catch mid-job
    result = ingest_path(admin, noisy)
    doomed = WorkerProcess(services)
    doomed.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with session_scope() as session:
            running = session.exec(
                select(JobRun).where(JobRun.version_id == result.version_id, JobRun.status == "running")
            ).first()
        if running:
            break
        time.sleep(0.02)
    assert running is not None, "the worker never started the job"
    doomed.kill()
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=admin, asset_id=result.asset_id)
        assert detail.asset.status == "processing"
        assert (
            assets_service.version_file(
                session=session, principal=admin, version_id=result.version_id
            ).path.read_bytes()
            == noisy.read_bytes()
        )
    # Time passes beyond the dead worker's heartbeat; RQ hands the job back while retries are left.
    queues.requeue_abandoned(before_timestamp=time.time() + 3600)
    rescuer = WorkerProcess(services)
    rescuer.start()
    try:
        assert wait_until_processed(result.asset_id, timeout=60) == "ready"
    finally:
        rescuer.stop()
