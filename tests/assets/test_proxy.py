"""A video's viewing copy: H.264 + AAC in MP4 within 640 px, its length and sound kept; a file that is
not a video fails with av's error (the stage records it) and writes nothing usable."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from sqlmodel import select

from dam_app.assets.media import probe_video
from dam_app.assets.proxy import NoProxy, fitted, write_proxy


def clip_with_sound(path: Path, size: tuple[int, int] = (1280, 720), seconds: int = 2, fps: int = 24) -> Path:
    """A clip whose frames brighten over time, with a 440 Hz mono tone."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=Fraction(fps))
        video.width, video.height, video.pix_fmt = *size, "yuv420p"
        audio = container.add_stream("aac", rate=44_100)
        audio.layout = "mono"
        for i in range(seconds * fps):
            picture = np.full((size[1], size[0], 3), (i * 5) % 255, dtype=np.uint8)
            container.mux(video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(44_100 * seconds) / 44_100)).astype(np.float32)
        for start in range(0, len(tone), 1024):
            chunk = av.AudioFrame.from_ndarray(tone[start : start + 1024].reshape(1, -1), format="fltp", layout="mono")
            chunk.sample_rate = 44_100
            container.mux(audio.encode(chunk))
        container.mux(video.encode(None))
        container.mux(audio.encode(None))
    return path


def test_a_large_clip_with_sound_becomes_a_small_playable_copy(tmp_path: Path) -> None:
    source = clip_with_sound(tmp_path / "master.mp4")
    made = write_proxy(source, tmp_path / "proxy.mp4")
    probe, _ = probe_video(tmp_path / "proxy.mp4")
    assert (made.width, made.height) == (640, 360) == (probe.width, probe.height)
    assert (probe.video_codec, probe.audio_codec, probe.frame_rate) == ("h264", "aac", 24.0)
    assert probe.duration_s is not None and abs(probe.duration_s - 2.0) < 0.1  # the same length
    assert (tmp_path / "proxy.mp4").stat().st_size < source.stat().st_size


def test_sizes_keep_their_shape_in_even_pixels_and_small_ones_are_not_enlarged() -> None:
    assert fitted(1920, 1080) == (640, 360)
    assert fitted(1080, 1920) == (360, 640)
    assert fitted(321, 569) == (320, 568)  # odd sizes made even (yuv420p)
    assert fitted(3840, 1001) == (640, 166)


def test_a_variable_frame_rate_keeps_its_timing_and_a_repeated_timestamp_is_dropped(tmp_path: Path) -> None:
    source = tmp_path / "phone.mp4"
    moments_ms = [0, 40, 80, 80, 200, 600, 640, 1500]  # a phone's uneven frames, one stamped twice
    with av.open(str(source), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(25))
        stream.width, stream.height, stream.pix_fmt = 480, 270, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        for i, ms in enumerate(moments_ms):
            frame = av.VideoFrame.from_ndarray(np.full((270, 480, 3), i * 30, dtype=np.uint8), format="rgb24")
            frame.pts, frame.time_base = ms + (1 if i == 3 else 0), Fraction(1, 1000)  # the encoder wants them rising
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    write_proxy(source, tmp_path / "proxy.mp4")
    with av.open(str(tmp_path / "proxy.mp4")) as copy:
        stamps = [float(f.time) for f in copy.decode(copy.streams.video[0])]
    assert len(stamps) == len(moments_ms) and stamps == sorted(stamps)
    assert abs(stamps[-1] - 1.5) < 0.05  # the last frame still comes 1.5 s in


def test_what_gets_no_copy_says_why(tmp_path: Path) -> None:
    fake = tmp_path / "teaser.mp4"
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    with pytest.raises(NoProxy, match="could not be transcoded"):
        write_proxy(fake, tmp_path / "proxy.mp4")
    with pytest.raises(NoProxy, match="longer than 30 minutes"):
        write_proxy(clip_with_sound(tmp_path / "film.mp4", seconds=1), tmp_path / "proxy.mp4", duration_s=7200)
    with pytest.raises(NoProxy, match="no picture size"):
        fitted(0, 0)


def test_a_video_without_a_copy_goes_on_through_the_stages(tx, tmp_path: Path, monkeypatch) -> None:
    """The stage records why on its row and succeeds: reading the text, the index, the verdict follow."""
    from dam_app.assets import stages
    from dam_app.assets.models import Rendition, Version
    from dam_app.processing.models import JobRun
    from tests import factories

    asset = factories.asset(tx, markets=["NA"])
    version = tx.get_one(Version, asset.current_version_id)
    version.mime = "video/mp4"
    tx.add(JobRun(asset_id=asset.id, version_id=version.id, stage="proxy", status="running"))
    tx.flush()

    def broken(*_args: object) -> None:
        raise NoProxy("the video could not be transcoded (Invalid data found when processing input)")

    monkeypatch.setattr(stages, "write_proxy", broken)
    stages._stage_proxy(tx, version, tmp_path / "missing.mp4")
    tx.expire_all()
    run = tx.exec(select(JobRun).where(JobRun.version_id == version.id, JobRun.stage == "proxy")).one()
    assert run.error == "no copy: the video could not be transcoded (Invalid data found when processing input)"
    assert (
        tx.exec(select(Rendition).where(Rendition.version_id == version.id, Rendition.kind == "proxy")).first() is None
    )
