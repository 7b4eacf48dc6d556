"""Where a comment points, in the shape of the W3C Web Annotation selectors, checked against the
version it is made on:

- a region or point of the picture: a FragmentSelector conforming to Media Fragments,
  `xywh=percent:x,y,w,h` (a point has no width or height);
- a time or time range of a video: a FragmentSelector `t=start[,end]` in seconds;
- a phrase of the copy (or title, description): a TextQuoteSelector (exact, prefix, suffix) with a
  TextPositionSelector (start, end), and the field it is in.

Stored as {"kind": ..., "field": ..., "selector": <selector or [quote, position]>}; anything else is
refused with the reason (a pin outside the picture, a time past the video's end, a phrase that is
not there)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dam_app.assets.models import Asset, Version
from dam_app.errors import Invalid

MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
CONTEXT = 32  # characters of prefix and suffix kept around a quoted phrase
MAX_QUOTE = 2000
REGION, POINT, TIME, TEXT = "region", "point", "time", "text"
TEXT_FIELDS = ("copy", "title", "description")
_NUMBER = r"(\d+(?:\.\d+)?)"
_XYWH = re.compile(rf"^xywh=percent:{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$")
_TIME = re.compile(rf"^t=(?:npt:)?{_NUMBER}(?:,{_NUMBER})?$")


@dataclass(frozen=True)
class Box:
    """A region (or point: no width, no height) as fractions of the picture."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class VersionShape:
    """What an anchor is checked against: whether the version has pixels, its duration, its texts."""

    has_pixels: bool
    duration_s: float | None
    texts: dict[str, str]


def shape_of(asset: Asset, version: Version) -> VersionShape:
    return VersionShape(
        has_pixels=version.mime.startswith(("image/", "video/")),
        duration_s=version.duration_s if version.mime.startswith("video/") else None,
        texts={"copy": version.extracted_text or "", "title": asset.title, "description": asset.description},
    )


def region_anchor(box: Box) -> dict[str, Any]:
    kind = POINT if box.w == 0 and box.h == 0 else REGION
    value = "xywh=percent:" + ",".join(_num(v * 100) for v in (box.x, box.y, box.w, box.h))
    return {"kind": kind, "selector": {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": value}}


def time_anchor(start: float, end: float | None) -> dict[str, Any]:
    value = f"t={_num(start)}" + (f",{_num(end)}" if end is not None and end > start else "")
    return {"kind": TIME, "selector": {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": value}}


def text_anchor(field: str, text: str, start: int, end: int) -> dict[str, Any]:
    quote = {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }
    return {
        "kind": TEXT,
        "field": field,
        "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}],
    }


def box_of(anchor: dict[str, Any]) -> Box | None:
    if anchor.get("kind") not in (REGION, POINT):
        return None
    found = _XYWH.match(str(anchor["selector"]["value"]))
    if found is None:
        return None
    x, y, w, h = (float(v) / 100 for v in found.groups())
    return Box(x, y, w, h)


def times_of(anchor: dict[str, Any]) -> tuple[float, float | None] | None:
    if anchor.get("kind") != TIME:
        return None
    found = _TIME.match(str(anchor["selector"]["value"]))
    if found is None:
        return None
    return float(found.group(1)), float(found.group(2)) if found.group(2) else None


def quote_of(anchor: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """(field, quote selector, position selector) of a text anchor."""
    if anchor.get("kind") != TEXT:
        return None
    quote, position = anchor["selector"]
    return str(anchor["field"]), quote, position


def validated(raw: dict[str, Any] | None, shape: VersionShape) -> dict[str, Any] | None:
    """The anchor to store for `raw` (W3C selectors as above; None: the whole version), or Invalid."""
    if raw is None:
        return None
    selector = raw.get("selector", raw)
    if isinstance(selector, list):  # a quote with its position, in either order
        return _text(raw, selector, shape)
    if not isinstance(selector, dict):
        raise Invalid("an anchor is a W3C selector: FragmentSelector (xywh or t) or TextQuoteSelector")
    kind = selector.get("type")
    if kind == "TextQuoteSelector":
        return _text(raw, [selector], shape)
    if kind != "FragmentSelector":
        raise Invalid(f"unknown selector type {kind!r}; use FragmentSelector or TextQuoteSelector")
    value = str(selector.get("value", "")).strip()
    if value.startswith("xywh="):
        return region_anchor(_box(value, shape))
    if value.startswith("t="):
        start, end = _times(value, shape)
        return time_anchor(start, end)
    raise Invalid("a FragmentSelector's value is xywh=percent:x,y,w,h (a region or point) or t=start,end (seconds)")


def _box(value: str, shape: VersionShape) -> Box:
    if not shape.has_pixels:
        raise Invalid("this version has no picture to point at; comment on a phrase or on the whole version")
    found = _XYWH.match(value)
    if found is None:
        raise Invalid(f"'{value}' is not xywh=percent:x,y,w,h (percentages of the picture)")
    x, y, w, h = (float(v) for v in found.groups())
    if x > 100 or y > 100 or x + w > 100.0001 or y + h > 100.0001:
        raise Invalid(f"the pin ({value}) lies outside the picture: x + w and y + h are at most 100 percent")
    return Box(x / 100, y / 100, w / 100, h / 100)


def _times(value: str, shape: VersionShape) -> tuple[float, float | None]:
    if shape.duration_s is None:
        raise Invalid("only a video has times to comment on")
    found = _TIME.match(value)
    if found is None:
        raise Invalid(f"'{value}' is not t=start or t=start,end in seconds")
    start, end = float(found.group(1)), float(found.group(2)) if found.group(2) else None
    if start > shape.duration_s or (end is not None and end > shape.duration_s + 0.001):
        raise Invalid(f"the time ({value}) is past the video's end ({shape.duration_s:.2f} s)")
    if end is not None and end < start:
        raise Invalid(f"the range ({value}) ends before it starts")
    return start, end


def _text(raw: dict[str, Any], selectors: list[Any], shape: VersionShape) -> dict[str, Any]:
    field = str(raw.get("field") or "copy")
    if field not in TEXT_FIELDS:
        raise Invalid(f"a phrase is in one of {', '.join(TEXT_FIELDS)}, not '{field}'")
    text = shape.texts.get(field, "")
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    exact = str((quote or {}).get("exact", ""))
    if not exact.strip() and position is None:
        raise Invalid("a phrase anchor needs the words (TextQuoteSelector.exact) or their position")
    if len(exact) > MAX_QUOTE:
        raise Invalid(f"the phrase is {len(exact)} characters; at most {MAX_QUOTE}")
    if position is not None:
        start, end = _int(position.get("start")), _int(position.get("end"))
        if 0 <= start < end <= len(text) and (not exact or text[start:end] == exact):
            return text_anchor(field, text, start, end)
        if not exact:
            raise Invalid(f"the range {start}-{end} is not in the {field} ({len(text)} characters)")
    at = text.find(exact)
    if at < 0:
        raise Invalid(f"the phrase “{exact[:60]}” is not in this version's {field}")
    return text_anchor(field, text, at, at + len(exact))


def _seconds(value: float) -> str:
    return f"{int(value // 60)}:{value % 60:04.1f}"


def family(anchor: dict[str, Any] | None) -> str:
    """What a pin points at: "picture" (a region or a point), "time", "text", or "" (the whole version)."""
    kind = (anchor or {}).get("kind", "")
    return "picture" if kind in (REGION, POINT) else str(kind)


def describe(anchor: dict[str, Any] | None) -> str:
    """The anchor in words, for lists and alerts."""
    if anchor is None:
        return "Whole version"
    if (box := box_of(anchor)) is not None:
        if box.w == 0 and box.h == 0:
            return f"Point at {box.x:.0%}, {box.y:.0%}"
        return f"Region at {box.x:.0%}, {box.y:.0%} ({box.w:.0%} by {box.h:.0%})"
    if (times := times_of(anchor)) is not None:
        start, end = times
        return _seconds(start) + (f" to {_seconds(end)}" if end is not None else "")
    if (quoted := quote_of(anchor)) is not None:
        field_name, quote, _ = quoted
        return f"“{str(quote['exact'])[:80]}” in the {field_name}"
    return "Somewhere unknown"


def _int(value: Any) -> int:
    """A TextPositionSelector offset; anything but a whole number is refused."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().lstrip("-").isdigit():
        raise Invalid(f"a TextPositionSelector's start and end are whole numbers, not {value!r}")
    return int(value)


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"
