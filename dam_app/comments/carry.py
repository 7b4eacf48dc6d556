"""Carry a pin from one version to the next. Pictures: align the new one with the old (the diff's
alignment: same framing, ECC, or ORB features with RANSAC), move the pin through that warp, and
measure whether the spot changed (the diff's SSIM and Lab change, around the pin). Copy: find the
quoted words again, by their context when they occur more than once, else the closest passage.
Video: the same time, its frame compared with the old one's. What cannot be placed with confidence
is flagged, never dropped."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from dam_app.comments import anchors
from dam_app.comments.models import Placement
from dam_app.diff.align import Aligned, align
from dam_app.diff.pixels import change_intensity

MIN_SCORE = 0.55  # an alignment correlating less than this cannot place a pin with confidence
POINT_WINDOW = 0.04  # around a point, this share of the picture's width and height is compared
CHANGED_SHARE = 0.02  # the share of the spot's pixels past the change threshold that makes it "changed"
MIN_SIMILARITY = 0.72  # a rewritten phrase is still "the same place" at this similarity
SEARCH_REACH = 3000  # characters either side of the phrase's old place that are searched


@dataclass(frozen=True)
class Placed:
    anchor: dict[str, Any] | None
    state: Placement
    note: str


class PictureMatch:
    """Two pictures aligned once, for every pin of the older one."""

    def __init__(self, old: Image.Image, new: Image.Image) -> None:
        self.aligned: Aligned = align(old.convert("RGB"), new.convert("RGB"))
        self.intensity = change_intensity(self.aligned)

    def place(self, box: anchors.Box) -> Placed:
        a = self.aligned
        if a.score < MIN_SCORE or a.coverage < 0.5:
            return Placed(
                None, Placement.UNPLACED, f"the new picture does not line up with the old one ({a.score:.2f})"
            )
        # All four corners: the warp may rotate, and the box is the one around them.
        corners = [a.to_b(x, y) for x in (box.x, box.x + box.w) for y in (box.y, box.y + box.h)]
        if not all(-0.01 <= v <= 1.01 for corner in corners for v in corner):
            return Placed(None, Placement.UNPLACED, "the spot is no longer in the picture (cropped out)")
        xs = [min(1.0, max(0.0, x)) for x, _ in corners]
        ys = [min(1.0, max(0.0, y)) for _, y in corners]
        moved = anchors.Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        if box.w == 0 and box.h == 0:
            moved = anchors.Box(xs[0], ys[0], 0.0, 0.0)
        how = f"aligned by {a.method} ({a.score:.2f})"
        if self._changed(box):
            return Placed(anchors.region_anchor(moved), Placement.CHANGED, how)
        return Placed(anchors.region_anchor(moved), Placement.UNTOUCHED, how)

    def _changed(self, box: anchors.Box) -> bool:
        height, width = self.intensity.shape
        cx, cy = box.centre
        half_w, half_h = max(box.w / 2, POINT_WINDOW / 2), max(box.h / 2, POINT_WINDOW / 2)
        x0, x1 = int(max(0.0, cx - half_w) * width), int(min(1.0, cx + half_w) * width) + 1
        y0, y1 = int(max(0.0, cy - half_h) * height), int(min(1.0, cy + half_h) * height) + 1
        spot = self.intensity[y0:y1, x0:x1]
        return bool(spot.size) and float((spot >= 1.0).mean()) >= CHANGED_SHARE


def place_text(anchor: dict[str, Any], new_text: str) -> Placed:
    quoted = anchors.quote_of(anchor)
    if quoted is None:
        return Placed(None, Placement.UNPLACED, "not a phrase anchor")
    field, quote, position = quoted
    exact, prefix, suffix = str(quote["exact"]), str(quote.get("prefix", "")), str(quote.get("suffix", ""))
    hits = _occurrences(new_text, exact)
    if hits:
        best = max(hits, key=lambda i: _context_score(new_text, i, len(exact), prefix, suffix))
        same_context = _context_score(new_text, best, len(exact), prefix, suffix) >= 0.9
        state = Placement.UNTOUCHED if same_context else Placement.CHANGED
        note = "the phrase is still there" if same_context else "the phrase is there, its surroundings changed"
        return Placed(anchors.text_anchor(field, new_text, best, best + len(exact)), state, note)
    found = _closest(new_text, exact, int(position.get("start", 0)))
    if found is None:
        return Placed(None, Placement.UNPLACED, f"“{exact[:60]}” is no longer in the {field}")
    start, end, ratio = found
    note = f"rewritten: “{exact[:40]}” → “{new_text[start:end][:40]}” ({ratio:.0%} alike)"
    return Placed(anchors.text_anchor(field, new_text, start, end), Placement.CHANGED, note)


def place_time(anchor: dict[str, Any], new_duration: float | None, frames_alike: bool | None) -> Placed:
    times = anchors.times_of(anchor)
    if times is None or new_duration is None:
        return Placed(None, Placement.UNPLACED, "the new version is not a video")
    start, end = times
    if start > new_duration:
        return Placed(None, Placement.UNPLACED, f"the new video ends at {new_duration:.1f} s, before {start:.1f} s")
    end = min(end, new_duration) if end is not None else None
    if frames_alike is None:
        return Placed(anchors.time_anchor(start, end), Placement.CHANGED, "same time; its frame could not be compared")
    if frames_alike:
        return Placed(anchors.time_anchor(start, end), Placement.UNTOUCHED, "same time, same picture")
    return Placed(anchors.time_anchor(start, end), Placement.CHANGED, "same time, the picture changed")


def frames_alike(old: Image.Image, new: Image.Image) -> bool:
    aligned = align(old.convert("RGB"), new.convert("RGB"), search=False)
    return float((change_intensity(aligned) >= 1.0).mean()) < CHANGED_SHARE


def _occurrences(text: str, exact: str) -> list[int]:
    found: list[int] = []
    at = text.find(exact)
    while at >= 0 and len(found) < 100:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _context_score(text: str, at: int, length: int, prefix: str, suffix: str) -> float:
    before = text[max(0, at - len(prefix)) : at]
    after = text[at + length : at + length + len(suffix)]
    scores = [_alike(a, b) for a, b in ((before, prefix), (after, suffix)) if a or b]
    return float(np.mean(scores)) if scores else 1.0


def _closest(text: str, exact: str, near: int) -> tuple[int, int, float] | None:
    """The passage of `text` most like the quote, looked for around where it was (`near`), if alike
    enough. (Windows of the quote's length, 80% and 125% of it; a long copy is searched near the old
    place only, so a 100,000-character text costs what a page does.)"""
    if not text or not exact:
        return None
    size = len(exact)
    near = min(max(0, near), len(text))
    step = max(1, size // 8)
    reach = max(SEARCH_REACH, 10 * size)
    best: tuple[float, int, int] | None = None
    for start in range(max(0, near - reach), min(len(text), near + reach), step):
        for length in (size, int(size * 0.8), int(size * 1.25)):
            piece = text[start : start + max(1, length)]
            ratio = _alike(piece, exact)
            if best is None or ratio > best[0]:
                best = (ratio, start, start + len(piece))
    if best is None or best[0] < MIN_SIMILARITY:
        return None
    ratio, start, end = best
    start, end = _whole_words(text, start, end)
    return start, end, _alike(text[start:end], exact)


def _alike(a: str, b: str) -> float:
    """difflib's ratio without its "junk" heuristic, which drops common characters of texts over
    200 characters and so scores a long phrase with two words changed far too low."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _whole_words(text: str, start: int, end: int, reach: int = 12) -> tuple[int, int]:
    """Widen a span to the words it cuts (a few characters at most: CJK runs have no spaces)."""
    for _ in range(reach):
        if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
    for _ in range(reach):
        if end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
