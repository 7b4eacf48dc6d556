"""A video thread shows its frame: starting a thread at a time keeps that frame as a small rendition
of the version (made once, by the job the comment queues), the thread list links it, and a thread
carried to the next version gets that version's frame at its new place."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import col, select

from dam_app.assets.media import probe_video
from dam_app.assets.models import Asset, Rendition, Version
from dam_app.comments import frames, pins, service
from dam_app.db import session_scope
from dam_app.demo.generate import short_video
from dam_app.storage.blobs import get_blob_store
from dam_app.storage.models import ensure_blob
from tests import factories
from tests.diff.helpers import picture_version


def _video_version(session, principal, asset, clip: Path, seconds: float) -> Version:
    version = picture_version(session, principal, asset, probe_video(clip)[1].convert("RGB"))
    stored = get_blob_store().put_file(clip)
    ensure_blob(session, stored.sha256, stored.size, "video/mp4")
    version.blob_sha256, version.mime, version.duration_s = stored.sha256, "video/mp4", seconds
    session.add(version)
    session.flush()
    return version


def _frames(version_id: uuid.UUID) -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Rendition.kind).where(
                    Rendition.version_id == version_id, col(Rendition.kind).startswith(frames.PREFIX)
                )
            )
        )


def test_a_video_thread_shows_its_frame_here_and_on_the_next_version(
    services: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple] = []
    monkeypatch.setattr(frames.queues, "enqueue_or_run", lambda func, *args, **_: queued.append((func, args)))
    with session_scope() as session:
        admin = factories.admin(session)
        asset = factories.asset(session, markets=("NA",), index=False, media_kind="video")
        first = _video_version(session, admin, asset, short_video(tmp_path / "a.mp4", seconds=2.0), 2.0)
        thread = service.add(
            session=session, principal=admin, asset_id=asset.id, body="The product enters too late",
            anchor={"type": "FragmentSelector", "value": "t=1.5,2"},
        )  # fmt: skip
        asset_id, first_id = asset.id, first.id
        assert thread.frame_id is None  # not made yet: the list shows the time alone
    ((job, args),) = queued
    assert job(*args) is True and job(*args) is True  # what the worker does; a repeat makes nothing new
    assert _frames(first_id) == ["frame-1500"]

    with session_scope() as session:
        page = service.threads(session=session, principal=admin, asset_id=asset_id)
        (shown,) = page.threads
        rendition = session.get_one(Rendition, shown.frame_id)
        assert (rendition.version_id, rendition.mime) == (first_id, "image/jpeg")
        with Image.open(get_blob_store().path_of(rendition.blob_sha256)) as picture:
            red, _green, blue = picture.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
        assert max(picture.size) <= 320 and red > blue  # the clip's pink block on its cream ground

        asset = session.get_one(Asset, asset_id)
        second = _video_version(session, admin, asset, short_video(tmp_path / "b.mp4", seconds=3.0), 3.0)
        assert pins.carry_to(session, second) == 1  # the pins stage: the thread's time, on the new clip
        second_id = second.id
    assert _frames(second_id) == ["frame-1500"]
    with session_scope() as session:
        (carried,) = service.threads(session=session, principal=admin, asset_id=asset_id, version_id=second_id).threads
        assert carried.frame_id is not None and carried.frame_id != shown.frame_id


def test_a_picture_has_no_frame_and_a_clip_has_one(services: dict[str, str], tmp_path: Path) -> None:
    with session_scope() as session:
        admin = factories.admin(session)
        asset = factories.asset(session, markets=("NA",), index=False)
        picture = picture_version(session, admin, asset, Image.new("RGB", (64, 64), "white"))
        assert frames.keep_frame(session, picture, 1.0) is False
        clip = _video_version(session, admin, asset, short_video(tmp_path / "c.mp4", seconds=1.0), 1.0)
        picture_id = picture.id
        assert frames.keep_frame(session, clip, 0.5) is True
    assert _frames(picture_id) == []
    assert frames.frame_kind(12.5) == "frame-12500" and frames.moment_of(None) is None
