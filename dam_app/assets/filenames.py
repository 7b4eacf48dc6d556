"""Make user-supplied file names safe to store and show, without losing their meaning."""

from __future__ import annotations

import re
import unicodedata

# Bidi controls let "gnp.exe" render as "exe.png"; zero-width and control characters hide text.
_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MAX_BYTES = 255


def safe_filename(name: str) -> str:
    """The last path component of `name`, without traversal, control or bidi characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = _INVISIBLE.sub("", name)
    name = name.replace("\\", "/").split("/")[-1].strip().strip(".")
    name = re.sub(r"\s+", " ", name)
    if not name or set(name) <= {"."}:
        return "unnamed"
    encoded = name.encode("utf-8")
    if len(encoded) > _MAX_BYTES:
        stem, dot, ext = name.rpartition(".")
        keep_ext = f".{ext}" if dot and len(ext) <= 10 else ""
        budget = _MAX_BYTES - len(keep_ext.encode("utf-8"))
        name = (stem if keep_ext else name).encode("utf-8")[:budget].decode("utf-8", "ignore") + keep_ext
    return name


def title_from_filename(name: str) -> str:
    """'red_sneaker-hero_v3.jpg' -> 'red sneaker hero v3'."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return words or name
