"""A video's viewing copy: H.264 and AAC in MP4, at most PROXY_PX on its long side, so the asset page
plays every video in any browser (a ProRes or HEVC original would not play), quickly, and without
handing out the original: people for whom a version is blocked still watch its proxy to review it,
as they see a picture's preview. Encoded with the ffmpeg that PyAV bundles.

Timestamps are the source's, counted from zero (variable frame rates keep their timing; a frame
that would not move time forward is dropped), the sound is counted from zero alongside, a phone's
rotation is applied to the pixels. A video longer than MAX_SECONDS gets no copy (the page plays
the original); so does one the transcoder cannot read, with the reason returned."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

PROXY = "proxy"  # the rendition's kind, and the stage that makes it
PROXY_PX = 640
CRF = "28"  # x264's quality scale: 28 is clearly watchable at 640 px and small
AUDIO_RATE = 48_000
MAX_SECONDS = 30 * 60  # ~2-3 minutes of one worker for a 1080p half hour; longer ones play the original


@dataclass(frozen=True)
class Proxy:
    width: int
    height: int


class NoProxy(Exception):
    """This video gets no viewing copy; the message says why (the page plays the original)."""


def fitted(width: int, height: int, max_px: int = PROXY_PX) -> tuple[int, int]:
    """The size within max_px keeping the shape; even numbers, as yuv420p needs."""
    if width <= 0 or height <= 0:
        raise NoProxy(f"the video reports no picture size ({width} x {height})")
    scale = min(1.0, max_px / max(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def write_proxy(source: Path, target: Path, duration_s: float | None = None, max_px: int = PROXY_PX) -> Proxy:
    """Transcode `source` into `target`: its first video stream scaled (and turned upright), its first
    audio stream as stereo AAC. Raises NoProxy when it cannot or should not."""
    import av

    if duration_s is not None and duration_s > MAX_SECONDS:
        raise NoProxy(f"{duration_s / 60:.0f} minutes long: longer than {MAX_SECONDS // 60} minutes, no copy is made")
    mp4 = {"movflags": "+faststart"}  # the index first: the browser plays before the whole file arrives
    try:
        size = _shown_size(av, source, max_px)  # the encoder must know it before the first packet is written
        with av.open(str(source)) as reading, av.open(str(target), mode="w", format="mp4", options=mp4) as writing:
            return _transcode(av, reading, writing, size)
    except av.error.FFmpegError as exc:
        raise NoProxy(f"the video could not be transcoded ({exc})") from exc


def _shown_size(av: Any, source: Path, max_px: int) -> tuple[int, int]:
    """The copy's size: the first frame's, fitted, turned as it is shown."""
    with av.open(str(source)) as reading:
        if not reading.streams.video:
            raise NoProxy("the file holds no video stream")
        for frame in reading.decode(reading.streams.video[0]):
            width, height = fitted(frame.width, frame.height, max_px)
            return (height, width) if _turns(frame) % 2 else (width, height)
    raise NoProxy("no frame of the video could be decoded")


def _turns(frame: Any) -> int:
    """Counter-clockwise quarter turns that show the frame as it was filmed (a phone held upright)."""
    return round((getattr(frame, "rotation", 0) or 0) / 90) % 4


def _transcode(av: Any, reading: Any, writing: Any, size: tuple[int, int]) -> Proxy:
    video_in = reading.streams.video[0]
    video_in.thread_type = "AUTO"
    audio_in = reading.streams.audio[0] if reading.streams.audio else None
    rate = video_in.average_rate or Fraction(25)
    video_out = writing.add_stream("libx264", rate=rate)
    clock = video_in.time_base or Fraction(1, 90_000)  # the source's clock: a variable frame rate keeps its timing
    video_out.time_base = video_out.codec_context.time_base = clock
    video_out.pix_fmt = "yuv420p"
    video_out.width, video_out.height = size
    video_out.options = {"crf": CRF, "preset": "veryfast"}
    audio_out: Any = None
    resampler: Any = None
    if audio_in is not None:
        audio_out = writing.add_stream("aac", rate=AUDIO_RATE)
        audio_out.layout = "stereo"
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
    first_pts: int | None = None
    last_pts = -1
    for packet in reading.demux([s for s in (video_in, audio_in) if s is not None]):
        for frame in packet.decode():
            if isinstance(frame, av.VideoFrame):
                if frame.pts is None:
                    continue
                first_pts = frame.pts if first_pts is None else first_pts
                pts = frame.pts - first_pts
                if pts <= last_pts:
                    continue  # would not move time forward: the muxer refuses it
                upright = _upright(av, frame, size)
                upright.pts, upright.time_base, last_pts = pts, video_out.time_base, pts
                writing.mux(video_out.encode(upright))
            elif isinstance(frame, av.AudioFrame) and resampler is not None:
                for chunk in resampler.resample(frame):
                    chunk.pts = None  # counted from zero by the encoder, as the video is
                    writing.mux(audio_out.encode(chunk))
    writing.mux(video_out.encode(None))
    if audio_out is not None and resampler is not None:
        for chunk in resampler.resample(None):
            chunk.pts = None
            writing.mux(audio_out.encode(chunk))
        writing.mux(audio_out.encode(None))
    return Proxy(*size)


def _upright(av: Any, frame: Any, size: tuple[int, int]) -> Any:
    """The frame at the copy's size, turned as its rotation says."""
    turns = _turns(frame)
    width, height = (size[1], size[0]) if turns % 2 else size
    scaled = frame.reformat(width=width, height=height, format="yuv420p")
    if turns == 0:
        return scaled
    pixels = np.rot90(scaled.to_ndarray(format="rgb24"), k=turns)
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24").reformat(format="yuv420p")
