"""Comparisons through the service and the job, on the real database and blob store: one kept result
per pair, the seed's banner change found, who may see it, and what happens while a version is still
processing or could not be processed."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from sqlalchemy import text
from sqlmodel import select

from dam_app.accounts.principal import Principal
from dam_app.assets.media import probe_video, render_text_page
from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.assets.versions import VersionNotFound
from dam_app.db import session_scope
from dam_app.demo.generate import short_video
from dam_app.diff import jobs, service
from dam_app.diff.models import DiffImage, DiffStatus, VersionDiff
from dam_app.storage.blobs import get_blob_store
from dam_app.storage.models import ensure_blob
from tests import factories
from tests.diff.helpers import add_preview, picture_version
from tests.diff.pictures import banner, recompressed


def _person(regions: tuple[str, ...] = ("JP",)) -> Principal:
    with session_scope() as session:
        return factories.user(session, role="editor", regions=regions).principal


def _asset_with(principal: Principal, *pictures: Image.Image, markets=("JP",), **kwargs) -> list[uuid.UUID]:
    with session_scope() as session:
        asset = factories.asset(session, markets=markets, index=False)
        return [picture_version(session, principal, asset, p, **kwargs).id for p in pictures]


def _request(principal: Principal, a: uuid.UUID, b: uuid.UUID, **kwargs: bool) -> VersionDiff:
    with session_scope() as session:
        return service.request_diff(session=session, principal=principal, a=a, b=b, **kwargs)


def _get(principal: Principal, diff_id: uuid.UUID) -> VersionDiff:
    with session_scope() as session:
        return service.get_diff(session=session, principal=principal, diff_id=diff_id)


def test_the_seed_banner_change_is_found_and_kept_for_everyone(
    services: dict[str, str], computed_by_the_test: list[str]
) -> None:
    shanghai, los_angeles = _person(), _person(("JP", "NA"))
    v10, v11 = _asset_with(shanghai, banner("30% OFF"), recompressed(banner("40% OFF"), 75))
    first = _request(shanghai, v10, v11)
    assert first.status == DiffStatus.QUEUED and computed_by_the_test == [str(first.id)]

    jobs.compute_diff(str(first.id))
    done = _get(los_angeles, first.id)
    assert done.status == DiffStatus.DONE and done.progress == 100
    found = done.summary["pixels"]
    (region,) = found["regions"]
    assert 40 <= region["x"] <= 70 and 280 <= region["y"] <= 310 and region["x"] + region["width"] <= 160
    assert found["identical"] is False and found["alignment"] == "same framing"
    assert done.summary["words_from"] == "picture"  # the words OCR read from each version, compared
    changed = [(op, text.strip()) for op, text in done.summary["words"]["segments"] if op != "same"]
    assert changed == [("removed", "30"), ("added", "40")]  # "30% OFF" -> "40% OFF"
    assert (done.summary["a"]["label"], done.summary["b"]["label"]) == ("v1.1", "v1.2")
    with session_scope() as session:
        names = set(session.exec(select(DiffImage.name).where(DiffImage.diff_id == done.id)))
        heatmap = service.diff_image(session=session, principal=los_angeles, diff_id=done.id, name="heatmap")
    assert names == {"heatmap", "aligned"}
    with Image.open(heatmap.path) as picture:
        assert picture.size == tuple(found["compared_at"])

    again = _request(los_angeles, v10, v11)  # another person, the same pair: the kept result, no new job
    assert again.id == first.id and again.status == DiffStatus.DONE and computed_by_the_test == [str(first.id)]
    reverse = _request(los_angeles, v11, v10)  # the other direction is its own comparison
    assert reverse.id != first.id


def test_a_re_export_is_no_change_and_rights_and_keywords_are_compared(services: dict[str, str]) -> None:
    owner = _person()
    before = {"XMP-dc:Rights": "(c) 2026 Glow Co.", "IPTC:Keywords": ["serum", "sale"], "IFD0:Software": "PS 25"}
    after = {"XMP-dc:Rights": "(c) 2026 Glow Co. Licensed to JP only", "IPTC:Keywords": ["serum", "double eleven"]}
    with session_scope() as session:
        asset = factories.asset(session, markets=("JP",), index=False)
        a = picture_version(session, owner, asset, banner(), embedded=before).id
        b = picture_version(session, owner, asset, recompressed(banner().resize((720, 377)), 70), embedded=after).id
    diff = _request(owner, a, b)
    jobs.compute_diff(str(diff.id))
    summary = _get(owner, diff.id).summary
    assert summary["pixels"]["identical"] is True and summary["same_bytes"] is False
    changes = {(c["group"], c["name"]): (c["before"], c["after"]) for c in summary["fields"]}
    assert changes[("rights", "Copyright")] == ("(c) 2026 Glow Co.", "(c) 2026 Glow Co. Licensed to JP only")
    tags = [(c["before"], c["after"]) for c in summary["fields"] if c["group"] == "tags"]
    assert tags == [("sale", ""), ("", "double eleven")]
    assert changes[("metadata", "IFD0:Software")] == ("PS 25", "")
    assert changes[("file", "Pixels")] == ("1200 x 628", "720 x 377")


def test_only_people_who_may_read_both_versions_see_the_comparison(services: dict[str, str]) -> None:
    china, europe = _person(("CN",)), _person(("EU",))
    v1, v2 = _asset_with(china, banner(), banner("40% OFF"), markets=("CN",))
    diff = _request(china, v1, v2)
    with pytest.raises(VersionNotFound):
        _request(europe, v1, v2)
    with pytest.raises(service.DiffNotFound):
        _get(europe, diff.id)
    with pytest.raises(service.SameVersion), session_scope() as session:
        service.request_diff(session=session, principal=china, a=v1, b=v1)
    with pytest.raises(VersionNotFound):
        _request(china, v1, uuid.uuid4())


def test_two_versions_of_two_assets_and_a_huge_against_a_tiny_picture(services: dict[str, str]) -> None:
    owner = _person()
    (huge,) = _asset_with(owner, banner().resize((8000, 4187)))
    (tiny,) = _asset_with(owner, banner().resize((100, 52)))
    diff = _request(owner, huge, tiny)
    jobs.compute_diff(str(diff.id))
    result = _get(owner, diff.id)
    assert result.status == DiffStatus.DONE, result.error
    assert result.summary["pixels"]["compared_at"] == [100, 52]
    assert "80x smaller" in result.summary["pixels"]["note"]


def test_a_version_still_processing_is_waited_for_and_a_failed_one_is_explained(
    services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = _person()
    with session_scope() as session:
        asset = factories.asset(session, markets=("JP",), index=False)
        ready = picture_version(session, owner, asset, banner()).id
        pending = picture_version(session, owner, asset, banner("40% OFF"), preview=False).id
        session.get(Asset, asset.id).status = AssetStatus.PROCESSING  # type: ignore[union-attr]
    diff = _request(owner, ready, pending)
    monkeypatch.setattr(jobs.queues, "current_job_retries_left", lambda: 2)
    with pytest.raises(jobs.StillProcessing):
        jobs.compute_diff(str(diff.id))  # RQ retries it later
    waiting = _get(owner, diff.id)
    assert waiting.status == DiffStatus.QUEUED and "still being processed" in waiting.step

    with session_scope() as session:
        add_preview(session, session.get(Version, pending), banner("40% OFF"))  # type: ignore[arg-type]
    jobs.compute_diff(str(diff.id))
    assert _get(owner, diff.id).status == DiffStatus.DONE

    with session_scope() as session:
        broken = picture_version(session, owner, session.get(Asset, asset.id), banner(), preview=False).id  # type: ignore[arg-type]
        session.get(Asset, asset.id).status = AssetStatus.FAILED  # type: ignore[union-attr]
    failed = _request(owner, ready, broken)
    jobs.compute_diff(str(failed.id))
    result = _get(owner, failed.id)
    assert result.status == DiffStatus.FAILED and "processing failed" in (result.error or "")
    assert _request(owner, ready, broken).status == DiffStatus.FAILED  # kept, with its reason
    assert _request(owner, ready, broken, retry=True).status == DiffStatus.QUEUED


def test_videos_are_compared_by_facts_and_keyframes(services: dict[str, str], tmp_path) -> None:
    owner = _person()
    clips = [short_video(tmp_path / "a.mp4", seconds=2.0), short_video(tmp_path / "b.mp4", seconds=3.0)]
    with session_scope() as session:
        asset = factories.asset(session, markets=("JP",), index=False, media_kind="video")
        ids = []
        for clip, seconds, codec in zip(clips, (2.0, 3.0), ("h264", "hevc"), strict=True):
            version = picture_version(session, owner, asset, probe_video(clip)[1].convert("RGB"))
            stored = get_blob_store().put_file(clip)
            ensure_blob(session, stored.sha256, stored.size, "video/mp4")
            version.blob_sha256, version.mime, version.duration_s = stored.sha256, "video/mp4", seconds
            version.video_codec = codec  # as the media stage reads it (a re-encode for another platform)
            session.add(version)
            ids.append(version.id)
    diff = _request(owner, *ids)
    jobs.compute_diff(str(diff.id))
    result = _get(owner, diff.id)
    assert result.status == DiffStatus.DONE, result.error
    assert result.summary["video"]["keyframes_a"] == 4 and result.summary["video"]["keyframes_b"] == 4
    changed = {c["name"]: (c["before"], c["after"]) for c in result.summary["fields"] if c["group"] == "file"}
    assert changed["Duration"] == ("2.00 s", "3.00 s") and changed["Video codec"] == ("h264", "hevc")
    with session_scope() as session:
        names = set(session.exec(select(DiffImage.name).where(DiffImage.diff_id == diff.id)))
    assert {"keyframe-a-0", "keyframe-b-3", "heatmap"} <= names


def test_fifty_people_opening_the_same_comparison_share_one_row_and_one_job(
    services: dict[str, str], computed_by_the_test: list[str]
) -> None:
    owner = _person()
    a, b = _asset_with(owner, banner(), banner("40% OFF"))
    with ThreadPoolExecutor(max_workers=50) as pool:
        ids = list(pool.map(lambda _: _request(owner, a, b).id, range(50)))
    assert len(set(ids)) == 1
    with session_scope() as session:
        assert len(session.exec(select(VersionDiff).where(VersionDiff.version_a == a)).all()) == 1
    assert set(computed_by_the_test) == {str(ids[0])}  # every caller may ask; queue_compute skips a pending job


def test_copy_documents_get_a_word_diff(services: dict[str, str]) -> None:
    owner = _person()
    before, after = (
        "Double Eleven\n30% OFF every serum.\nShips to Japan.",
        "Double Eleven\n40% OFF every serum.\nShips to Japan.",
    )
    with session_scope() as session:
        asset = factories.asset(session, markets=("JP",), index=False, media_kind="document")
        ids = []
        for text in (before, after):
            version = picture_version(session, owner, asset, render_text_page(text))
            version.mime, version.extracted_text = "text/plain", text
            session.add(version)
            ids.append(version.id)
    diff = _request(owner, *ids)
    jobs.compute_diff(str(diff.id))
    words = _get(owner, diff.id).summary["words"]
    changed = [segment for segment in words["segments"] if segment[0] != "same"]
    assert changed == [["removed", "30"], ["added", "40"]]


def test_reading_one_of_the_two_versions_is_not_enough(services: dict[str, str]) -> None:
    both, japan_only = _person(("JP", "CN")), _person(("JP",))
    (japanese,) = _asset_with(both, banner(), markets=("JP",))
    (chinese,) = _asset_with(both, banner("40% OFF"), markets=("CN",))
    diff = _request(both, japanese, chinese)
    jobs.compute_diff(str(diff.id))
    with pytest.raises(VersionNotFound):
        _request(japan_only, japanese, chinese)
    with pytest.raises(service.DiffNotFound):
        _get(japan_only, diff.id)
    with pytest.raises(service.DiffNotFound), session_scope() as session:
        service.diff_image(session=session, principal=japan_only, diff_id=diff.id, name="heatmap")


def test_a_finished_comparison_stays_finished(services: dict[str, str]) -> None:
    owner = _person()
    a, b = _asset_with(owner, banner(), banner("40% OFF"))
    diff = _request(owner, a, b)
    jobs.compute_diff(str(diff.id))
    jobs.compute_diff(str(diff.id))  # a second run (the worker and `--here` at once): nothing changes
    jobs._fail(diff.id, "a late failure of a parallel run")
    kept = _get(owner, diff.id)
    assert kept.status == DiffStatus.DONE and kept.error is None and kept.attempts == 1


def test_one_person_may_have_only_so_many_comparisons_waiting(
    services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "WAITING_PER_PERSON", 3)
    script, colleague = _person(), _person()
    versions = _asset_with(script, banner(), banner("40% OFF"), banner("50% OFF"))
    pairs = [(a, b) for a in versions for b in versions if a != b]  # six pairs
    with ThreadPoolExecutor(max_workers=6) as pool:  # at once: the limit holds under concurrent requests
        outcomes = list(pool.map(lambda pair: _try(script, *pair), pairs))
    asked = [outcome for outcome in outcomes if isinstance(outcome, VersionDiff)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, service.TooManyComparisons)]
    assert (len(asked), len(refused)) == (3, 3)
    assert "3 comparisons still being computed" in refused[0].message
    assert _request(script, asked[0].version_a, asked[0].version_b).id == asked[0].id  # a kept pair: no new work
    theirs = next(p for p in pairs if p not in {(d.version_a, d.version_b) for d in asked})
    assert _request(colleague, *theirs).requested_by == colleague.user_id  # someone else's requests count apart
    jobs.compute_diff(str(asked[0].id))  # one of the script's is done: room for one more
    waiting = {(d.version_a, d.version_b) for d in asked} | {theirs}
    fourth = next(p for p in pairs if p not in waiting)
    assert _request(script, *fourth).status == DiffStatus.QUEUED
    with pytest.raises(service.TooManyComparisons):
        _request(script, *next(p for p in pairs if p not in waiting | {fourth}))
    with session_scope() as session:  # jobs lost with a killed worker an hour ago do not lock them out
        session.execute(
            text("UPDATE version_diffs SET created_at = now() - interval '2 hours' WHERE requested_by = :u"),
            {"u": script.user_id},
        )
    assert _request(script, *next(p for p in pairs if p not in waiting | {fourth})).status == DiffStatus.QUEUED


def _try(principal: Principal, a: uuid.UUID, b: uuid.UUID) -> VersionDiff | service.TooManyComparisons:
    try:
        return _request(principal, a, b)
    except service.TooManyComparisons as exc:
        return exc
