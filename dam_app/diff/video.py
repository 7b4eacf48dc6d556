"""Keyframes of a video at the same moments (shares of its duration), to set side by side."""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image

KEYFRAME_SHARES = (0.0, 0.33, 0.66, 0.95)
KEYFRAME_PX = 480


def keyframes(path: Path, duration_s: float | None) -> list[Image.Image]:
    """The keyframe at or before each share of the duration (the first frame when it is unknown)."""
    frames: list[Image.Image] = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        shares = KEYFRAME_SHARES if duration_s else (0.0,)
        for share in shares:
            moment = share * (duration_s or 0.0)
            if stream.time_base:
                container.seek(int(moment / stream.time_base), stream=stream, backward=True, any_frame=False)
            frame = next(container.decode(stream), None)
            if frame is None:
                break
            image = frame.to_image().convert("RGB")
            image.thumbnail((KEYFRAME_PX, KEYFRAME_PX))
            frames.append(image)
    return frames


def frame_at(path: Path, moment_s: float) -> Image.Image | None:
    """The frame shown at `moment_s` (the first decoded at or after the keyframe before it)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.time_base:
            container.seek(int(moment_s / stream.time_base), stream=stream, backward=True, any_frame=False)
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if frame.time is None or frame.time >= moment_s - 0.001:
                break
        if chosen is None:
            return None
        image = chosen.to_image().convert("RGB")
        image.thumbnail((KEYFRAME_PX, KEYFRAME_PX))
        return image
