"""Pixels and frames: probe videos, read copy text, render thumbnails and previews."""

from __future__ import annotations

import io
import textwrap
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, ImageDraw, ImageFont, ImageOps

from dam_app.assets.sniff import DOCX_MIME

_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class VideoProbe:
    width: int
    height: int
    duration_s: float | None
    video_codec: str | None
    audio_codec: str | None
    frame_rate: float | None


@dataclass(frozen=True)
class RenderedImage:
    data: bytes
    width: int
    height: int
    mime: str = "image/jpeg"


def probe_video(path: Path) -> tuple[VideoProbe, Image.Image]:
    """Container facts plus the first decodable frame, which becomes the poster."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        duration = None
        if container.duration:
            duration = container.duration / 1_000_000
        elif stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        rate = float(stream.average_rate) if stream.average_rate else None
        frame = next(container.decode(stream))
        poster = frame.to_image()
        probe = VideoProbe(
            width=int(frame.width),
            height=int(frame.height),
            duration_s=round(duration, 3) if duration else None,
            video_codec=stream.codec_context.name,
            audio_codec=audio.codec_context.name if audio else None,
            frame_rate=round(rate, 3) if rate else None,
        )
    return probe, poster


def document_text(path: Path, mime: str) -> str:
    """The copy inside a text or .docx document, paragraphs separated by newlines."""
    if mime == DOCX_MIME:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read("word/document.xml"))
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W_NS}t")) for p in root.iter(f"{_W_NS}p")]
        return "\n".join(p for p in paragraphs if p.strip())
    return path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def render_text_page(text: str, *, width: int = 1200, max_lines: int = 40) -> Image.Image:
    """A page image of copy text, so documents get thumbnails like pictures do."""
    font = _font(28)
    wrap_at = 48 if any(ord(ch) > 0x2E80 for ch in text[:2000]) else 70
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, wrap_at) or [""])
        if len(lines) >= max_lines:
            break
    lines = lines[:max_lines]
    height = max(int(width * 1.3), 80 + 40 * len(lines))
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((60, 50 + 40 * i), line, fill=(30, 30, 30), font=font)
    return page


def open_image(path: Path, *, target_px: int) -> Image.Image:
    """Decode at reduced size where the codec allows, honour EXIF orientation, flatten to RGB."""
    with Image.open(path) as im:
        im.draft("RGB", (target_px, target_px))
        im.load()
        oriented = ImageOps.exif_transpose(im)
    return flatten(oriented)


def flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def render(image: Image.Image, max_px: int, *, quality: int = 82) -> RenderedImage:
    copy = image.copy()
    copy.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=quality, optimize=True, progressive=max_px > 600)
    return RenderedImage(buffer.getvalue(), copy.width, copy.height)
