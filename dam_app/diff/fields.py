"""What changed in a version's facts: the file (type, size, pixels, duration, codecs), the rights its
metadata states, its keywords (the file's own tags) and every other embedded field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dam_app.assets.metadata import EmbeddedFacts, interpret
from dam_app.assets.models import RightsTerms, Version

MAX_EMBEDDED_CHANGES = 60
_INTERPRETED_GROUPS = ("XMP-dc:", "IPTC:", "XMP-xmpRights:", "XMP-photoshop:", "XMP-iptcExt:", "XMP-plus:")


def _size(version: Version) -> str:
    return f"{version.size:,} bytes"


def _pixels(version: Version) -> str:
    return f"{version.width} x {version.height}" if version.width and version.height else ""


def _seconds(version: Version) -> str:
    return f"{version.duration_s:.2f} s" if version.duration_s else ""


_FILE_FACTS: tuple[tuple[str, Callable[[Version], Any]], ...] = (
    ("File name", lambda v: v.original_filename),
    ("Type", lambda v: v.mime),
    ("Size", _size),
    ("Pixels", _pixels),
    ("Duration", _seconds),
    ("Video codec", lambda v: v.video_codec),
    ("Audio codec", lambda v: v.audio_codec),
    ("Frame rate", lambda v: f"{v.frame_rate:g} fps" if v.frame_rate else ""),
    ("Pages", lambda v: v.page_count),
)


def field_changes(a: Version, b: Version) -> list[dict[str, str]]:
    """Each change as {group, name, before, after}; groups: file, rights, tags, metadata."""
    changes = [_change("file", name, read(a), read(b)) for name, read in _FILE_FACTS]
    facts_a, facts_b = interpret(a.embedded_metadata), interpret(b.embedded_metadata)
    changes += [
        _change("rights", field.title or name, getattr(facts_a, name), getattr(facts_b, name))
        for name, field in RightsTerms.model_fields.items()
    ]
    changes += _tag_changes(facts_a, facts_b)
    changes += [_change("metadata", "Title", facts_a.title, facts_b.title)]
    changes += [_change("metadata", "Description", facts_a.description, facts_b.description)]
    changes += _embedded_changes(a.embedded_metadata, b.embedded_metadata)
    return [c for c in changes if c]


def _tag_changes(a: EmbeddedFacts, b: EmbeddedFacts) -> list[dict[str, str]]:
    before, after = set(a.keywords), set(b.keywords)
    removed = [_change("tags", "Keyword", tag, None) for tag in sorted(before - after)]
    return removed + [_change("tags", "Keyword", None, tag) for tag in sorted(after - before)]


def _embedded_changes(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, str]]:
    """The remaining embedded fields (camera, software, colour profile...), the interpreted ones left
    to the groups above."""
    keys = sorted(k for k in set(a) | set(b) if not k.startswith(_INTERPRETED_GROUPS))
    changes = [_change("metadata", key, a.get(key), b.get(key)) for key in keys]
    return [c for c in changes if c][:MAX_EMBEDDED_CHANGES]


def _change(group: str, name: str, before: Any, after: Any) -> dict[str, str]:
    """The change as a row, or an empty dict when both sides say the same."""
    left, right = _text(before), _text(after)
    return {} if left == right else {"group": group, "name": name, "before": left, "after": right}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
