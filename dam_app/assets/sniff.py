"""Decide what a file is from its bytes and check it is safe to process.

Every accepted upload passes through `inspect_file`: the type comes from the content (never the
name), images are checked for corruption, truncation and decompression bombs by a cheap reduced
decode, and videos must open and yield a frame. Anything else is rejected with a precise reason.
"""

from __future__ import annotations

import mimetypes
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from PIL import Image, UnidentifiedImageError

from dam_app.assets.models import MediaKind
from dam_app.errors import Invalid

IMAGE_MIMES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff", "image/bmp"}
VIDEO_MIMES = {"video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-msvideo"}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_MIMES = {"text/plain", "text/markdown"}


class RejectedFile(Invalid):
    """A file that cannot be accepted; `reason` is a short code, the message says why precisely."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Inspection:
    mime: str
    media_kind: MediaKind
    width: int | None = None
    height: int | None = None
    name_mismatch: str | None = None


def media_kind_of(mime: str) -> MediaKind:
    """The kind a stored version's sniffed type belongs to (as inspect_file decided it)."""
    if mime in IMAGE_MIMES:
        return MediaKind.IMAGE
    if mime in VIDEO_MIMES:
        return MediaKind.VIDEO
    return MediaKind.DOCUMENT


def inspect_file(path: Path, filename: str, *, max_image_pixels: int) -> Inspection:
    size = path.stat().st_size
    if size == 0:
        raise RejectedFile("empty", "the file is empty (0 bytes)")
    mime = _sniff_mime(path)
    claimed = mimetypes.guess_type(filename)[0]
    if mime is None:
        raise RejectedFile(
            "unsupported_type",
            f"unsupported content type (not an image, video, docx or UTF-8 text)"
            f"{f'; the name claims {claimed}' if claimed else ''}",
        )
    mismatch = None
    if claimed and claimed != mime and not (claimed in TEXT_MIMES and mime in TEXT_MIMES):
        mismatch = f"the name says {claimed} but the content is {mime}"
    if mime in IMAGE_MIMES:
        width, height = _check_image(path, max_image_pixels)
        return Inspection(mime, MediaKind.IMAGE, width, height, mismatch)
    if mime in VIDEO_MIMES:
        width, height = _check_video(path)
        return Inspection(mime, MediaKind.VIDEO, width, height, mismatch)
    if mime == DOCX_MIME:
        _check_docx(path)
        return Inspection(mime, MediaKind.DOCUMENT, name_mismatch=mismatch)
    if mime in TEXT_MIMES:
        if claimed == "text/markdown" or filename.lower().endswith((".md", ".markdown")):
            mime = "text/markdown"
        return Inspection(mime, MediaKind.DOCUMENT, name_mismatch=mismatch)
    raise RejectedFile(
        "unsupported_type",
        f"unsupported content type {mime}{f' (the name claims {claimed})' if claimed else ''}",
    )


def _sniff_mime(path: Path) -> str | None:
    kind = filetype.guess(str(path))
    if kind is not None:
        if kind.mime == "application/zip" and _is_docx(path):
            return DOCX_MIME
        return str(kind.mime)
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut by the 64 KiB window is fine
            return None
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if stripped.startswith((b"<svg", b"<?xml", b"<!doctype html", b"<html", b"<script")):
        raise RejectedFile("unsupported_type", "markup (HTML/SVG/XML) is not accepted: it can carry scripts")
    return "text/plain"


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _check_image(path: Path, max_pixels: int) -> tuple[int, int]:
    try:
        with Image.open(path) as im:
            width, height = im.size
            if width * height > max_pixels:
                raise RejectedFile(
                    "too_many_pixels",
                    f"image is {width}x{height} = {width * height / 1e6:.0f} megapixels, above the "
                    f"limit of {max_pixels / 1e6:.0f} (possible decompression bomb)",
                )
            im.draft("RGB", (256, 256))  # JPEG decodes at reduced scale: cheap, still reads all data
            im.load()
            frames = int(getattr(im, "n_frames", 1))
            if frames > 1:  # animated: the last frame proves the whole stream is intact
                im.seek(frames - 1)
                im.load()
    except RejectedFile:
        raise
    except Image.DecompressionBombError as exc:
        raise RejectedFile("too_many_pixels", f"image rejected as a decompression bomb: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise RejectedFile("corrupt_image", f"image is corrupt or truncated: {exc}") from exc
    return width, height


def _check_video(path: Path) -> tuple[int, int]:
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise RejectedFile("corrupt_video", "the file has no video stream")
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                return int(frame.width), int(frame.height)
    except RejectedFile:
        raise
    except Exception as exc:  # PyAV raises many error classes for broken containers
        raise RejectedFile("corrupt_video", f"video cannot be decoded: {exc}") from exc
    raise RejectedFile("corrupt_video", "video has no decodable frame")


def _check_docx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except zipfile.BadZipFile as exc:
        raise RejectedFile("corrupt_document", f"document is corrupt: {exc}") from exc
    if bad:
        raise RejectedFile("corrupt_document", f"document is corrupt: damaged entry {bad}")
