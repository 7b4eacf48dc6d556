"""What the compare page shows, built from a comparison's kept result (diff/jobs.py's summary)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from dam_app.assets.models import Version
from dam_app.diff.models import DiffStatus, VersionDiff
from dam_app.ui import routes

VIEWS = ("side", "swipe", "onion", "blink", "heatmap")  # keys 1-5, in this order
VIEW_NAMES = {"side": "Side by side", "swipe": "Swipe", "onion": "Onion skin", "blink": "Blink", "heatmap": "Heatmap"}
GROUP_NAMES = {"file": "File", "rights": "Rights", "tags": "Tags", "metadata": "Metadata"}


@dataclass
class Choice:
    id: str
    label: str


@dataclass
class RegionRow:
    number: str
    size: str
    where: str
    share: str


@dataclass
class ChangeRow:
    group: str
    name: str
    before: str
    after: str


@dataclass
class WordPiece:
    op: str  # same, removed, added
    text: str


@dataclass
class KeyframePair:
    at: str
    a_url: str
    b_url: str


@dataclass
class DiffView:
    """The comparison's part of the page; `status` decides what shows (progress, error or result)."""

    diff_id: str = ""
    status: str = ""
    progress: int = 0
    step: str = ""
    error: str = ""
    headline: str = ""
    note: str = ""
    heatmap_url: str = ""
    aligned_url: str = ""
    regions: list[RegionRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    words: list[WordPiece] = field(default_factory=list)
    word_counts: str = ""
    words_title: str = "Copy"  # or "Text in the picture", compared as OCR read it
    keyframes: list[KeyframePair] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status in (DiffStatus.DONE, DiffStatus.FAILED)


def diff_view(diff: VersionDiff) -> DiffView:
    view = DiffView(str(diff.id), diff.status, diff.progress, diff.step, diff.error or "")
    if diff.status != DiffStatus.DONE:
        return view
    summary: dict[str, Any] = diff.summary
    found = summary.get("pixels") or {}
    regions = found.get("regions", [])
    view.headline = _headline(summary, found, regions)
    view.note = found.get("note", "")
    view.heatmap_url, view.aligned_url = (
        routes.diff_image_url(diff.id, "heatmap"),
        routes.diff_image_url(diff.id, "aligned"),
    )
    view.regions = [
        RegionRow(str(n), f"{r['width']} x {r['height']} px", f"at {r['x']}, {r['y']}", f"{r['changed']:.2%}")
        for n, r in enumerate(regions, start=1)
    ]
    view.changes = [
        ChangeRow(GROUP_NAMES.get(c["group"], c["group"]), c["name"], c["before"] or "—", c["after"] or "—")
        for c in summary.get("fields", [])
    ]
    if words := summary.get("words"):
        view.words_title = "Text in the picture" if summary.get("words_from") == "picture" else "Copy"
        view.words = [WordPiece(op, text) for op, text in words["segments"]]
        view.word_counts = f"{words['removed_words']} word(s) removed, {words['added_words']} added" + (
            " (compared on the first 100,000 characters)" if words.get("truncated") else ""
        )
    if video := summary.get("video"):
        count = max(video["keyframes_a"], video["keyframes_b"])
        view.keyframes = [
            KeyframePair(
                f"{video['shares'][i]:.0%} in",
                routes.diff_image_url(diff.id, f"keyframe-a-{i}") if i < video["keyframes_a"] else "",
                routes.diff_image_url(diff.id, f"keyframe-b-{i}") if i < video["keyframes_b"] else "",
            )
            for i in range(count)
        ]
    return view


def _headline(summary: dict[str, Any], found: dict[str, Any], regions: list[dict[str, Any]]) -> str:
    if summary.get("same_bytes"):
        return "The two files are byte for byte the same."
    if found.get("identical"):
        picture = "No visible change in the picture"
    else:
        picture = f"{len(regions)} changed region(s), {found.get('changed', 0):.2%} of the picture"
    alignment = found.get("alignment", "")
    aligned = (
        "" if alignment == "same framing" else f"; aligned first ({alignment}, {found.get('coverage', 1):.0%} overlap)"
    )
    facts = len(summary.get("fields", []))
    return f"{picture}{aligned}; {facts} change(s) in facts, rights and tags."


@dataclass
class PairView:
    """Which two versions, their pictures and the neighbours the arrow keys step to."""

    found: bool = True
    title: str = ""
    asset_url: str = ""
    versions: list[Choice] = field(default_factory=list)
    a_id: str = ""
    b_id: str = ""
    a_label: str = ""
    b_label: str = ""
    a_preview: str = ""
    b_preview: str = ""


def pair_view(
    title: str,
    asset_id: uuid.UUID,
    versions: list[Version],
    a: Version,
    b: Version,
    previews: dict[uuid.UUID, uuid.UUID],
) -> PairView:
    def preview(v: Version) -> str:
        return routes.rendition_url(previews[v.id]) if v.id in previews else ""

    return PairView(
        True,
        title,
        routes.asset_url(asset_id),
        [Choice(str(v.id), v.label) for v in versions],
        str(a.id),
        str(b.id),
        a.label,
        b.label,
        preview(a),
        preview(b),
    )


def default_pair(versions: list[Version], a_ref: str, b_ref: str, current: uuid.UUID | None) -> tuple[Version, Version]:
    """The pair the URL names, else the current version against the one before it."""
    by_id = {str(v.id): v for v in versions}
    b = by_id.get(b_ref) or next((v for v in versions if v.id == current), versions[-1])
    if (a := by_id.get(a_ref)) is None or a.id == b.id:
        index = versions.index(b)
        a = versions[index - 1] if index > 0 else versions[index + 1]
    return a, b


def stepped(versions: list[Version] | list[Choice], a_id: str, b_id: str, delta: int) -> tuple[str, str] | None:
    """The next pair of neighbours (right arrow: one version on), or None at either end."""
    ids = [str(v.id) for v in versions]
    if a_id not in ids or b_id not in ids:
        return None
    left, right = sorted((ids.index(a_id), ids.index(b_id)))
    if right - left != 1:  # a pair picked by hand: the arrows first show the newer one against its predecessor
        left = right - 1
    left, right = left + delta, right + delta
    if left < 0 or right >= len(ids):
        return None
    return ids[left], ids[right]
