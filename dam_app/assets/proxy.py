"""A video's viewing copy: H.264 and AAC in MP4, at most PROXY_PX on its long side, so the asset page
plays every video in any browser (a ProRes or HEVC original would not play), quickly, and without
handing out the original: people for whom a version is blocked still watch its proxy to review it,
as they see a picture's preview. Encoded with the ffmpeg that PyAV bundles."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

PROXY = "proxy"  # the rendition's kind, and the stage that makes it
PROXY_PX = 640
CRF = "28"  # x264's quality scale: 28 is clearly watchable at 640 px and small
AUDIO_RATE = 48_000


@dataclass(frozen=True)
class Proxy:
    width: int
    height: int


def fitted(width: int, height: int, max_px: int = PROXY_PX) -> tuple[int, int]:
    """The size within max_px keeping the shape; even numbers, as yuv420p needs."""
    scale = min(1.0, max_px / max(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def write_proxy(source: Path, target: Path, max_px: int = PROXY_PX) -> Proxy:
    """Transcode `source` into `target`: its first video stream scaled, its first audio stream as
    stereo AAC. Raises av's errors on a file it cannot decode (the stage records them)."""
    import av

    # faststart: the index goes first, so the browser starts playing before the whole file arrives
    mp4 = {"movflags": "+faststart"}
    with av.open(str(source)) as reading, av.open(str(target), mode="w", format="mp4", options=mp4) as writing:
        video_in = reading.streams.video[0]
        audio_in = reading.streams.audio[0] if reading.streams.audio else None
        width, height = fitted(video_in.codec_context.width, video_in.codec_context.height, max_px)
        rate = video_in.average_rate or Fraction(25)
        video_out: Any = writing.add_stream("libx264", rate=rate)
        video_out.width, video_out.height, video_out.pix_fmt = width, height, "yuv420p"
        video_out.options = {"crf": CRF, "preset": "veryfast"}
        audio_out: Any = None
        resampler = None
        if audio_in is not None:
            audio_out = writing.add_stream("aac", rate=AUDIO_RATE)
            audio_out.layout = "stereo"
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
        wanted = [s for s in (video_in, audio_in) if s is not None]
        for packet in reading.demux(wanted):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    scaled = frame.reformat(width=width, height=height, format="yuv420p")
                    scaled.pts, scaled.time_base = frame.pts, frame.time_base
                    writing.mux(video_out.encode(scaled))
                elif isinstance(frame, av.AudioFrame) and resampler is not None:
                    for chunk in resampler.resample(frame):
                        chunk.pts = None
                        writing.mux(audio_out.encode(chunk))
        writing.mux(video_out.encode(None))
        if audio_out is not None:
            writing.mux(audio_out.encode(None))
    return Proxy(width, height)
