"""What changed since a market last approved. A new version asks every market for its decisions again;
where the comparison with the version a market approved shows that market's area unchanged, the
reviewer is told so (the decision stays theirs).

A market's area is everything in the picture except text lines written only in writing systems the
market does not read: a banner carrying a Chinese and a Japanese line, whose Japanese line was
redone, is unchanged for CN and changed for JP. A change anywhere else (the product, a price outside
the text, a logo, a line with Latin letters for a Latin market) is in every market's area; when in
doubt it says "changed" (a kanji-only line is Japanese as well as Chinese). The comparison is the
compare view's own (aligned pixels; a document's words), requested by the worker when the version
arrives."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, Version
from dam_app.catalog.models import Market
from dam_app.diff import jobs as diff_jobs
from dam_app.diff.models import METHOD, DiffStatus, VersionDiff
from dam_app.review.models import Approval, Decision
from dam_app.tagging.models import ImageText

APPROVING = (Decision.APPROVED, Decision.APPROVED_WITH_CHANGES)
INSIDE = 0.8  # a changed place this much inside another script's text line is that line's change
MIN_COVERAGE = 0.9  # below this share of the picture compared, the comparison cannot vouch for the rest
MARGIN = 0.01  # around a text line, as a fraction of the picture: the diff's boxes are coarser

# The writing systems each language reads; a language not listed reads Latin letters. A Japanese
# reader reads kanji, so a line of Chinese characters alone is theirs too (never said unchanged).
SYSTEMS: dict[str, frozenset[str]] = {
    "zh": frozenset({"chinese"}),
    "zh-Hant": frozenset({"chinese"}),
    "ja": frozenset({"japanese", "chinese"}),
    "ko": frozenset({"korean"}),
    "th": frozenset({"thai"}),
    "ar": frozenset({"arabic"}),
}
SYSTEM_NAMES = {
    "chinese": "Chinese",
    "japanese": "Japanese",
    "korean": "Korean",
    "thai": "Thai",
    "arabic": "Arabic",
    "latin": "Latin letters",
}
_RANGES = (
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x1100, 0x11FF, "hangul"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0600, 0x06FF, "arabic"),
)
_SCRIPT_SYSTEMS = {"hangul": "korean", "thai": "thai", "arabic": "arabic", "latin": "latin"}
ALL_SYSTEMS = frozenset(SYSTEM_NAMES)  # a global market reads every line: never "unchanged" by script
JAPANESE_KANA = 0.3  # this share of kana among a line's CJK characters makes it Japanese only


class SinceState(StrEnum):
    UNCHANGED = "unchanged"  # the market's area shows no change
    CHANGED = "changed"
    COMPARING = "comparing"  # the worker has not finished the comparison
    NOT_COMPARED = "not_compared"  # it failed, or cannot say (a video's poster is not the video)


@dataclass(frozen=True)
class SinceApproved:
    market: str
    since_version_id: uuid.UUID
    since: str  # the approved version's label
    stages: tuple[str, ...]  # the stages that approved it
    state: SinceState
    text: str


def systems_in(text: str) -> frozenset[str]:
    """The writing systems a text is written in. Han characters are Chinese and Japanese alike; a line
    whose CJK characters are largely kana is Japanese only (a stray の, or a kana OCR misread in a
    Chinese line, leaves it Chinese too: when in doubt, both read it)."""
    counts: dict[str, int] = {}
    for ch in text:
        point = ord(ch)
        script = next((name for low, high, name in _RANGES if low <= point <= high), None)
        if script is None and ch.isalpha() and point < 0x0250:
            script = "latin"
        if script:
            counts[script] = counts.get(script, 0) + 1
    systems = {_SCRIPT_SYSTEMS[s] for s in counts if s in _SCRIPT_SYSTEMS}
    kana, han = counts.get("kana", 0), counts.get("han", 0)
    if kana:
        systems.add("japanese")
    if han and kana < JAPANESE_KANA * (kana + han):
        systems |= {"chinese", "japanese"} if kana else {"chinese"}
    return frozenset(systems)


def systems_of(languages: Iterable[str]) -> frozenset[str]:
    """What a market writing these languages reads; a market with none named reads everything."""
    out: set[str] = set()
    for language in languages:
        out |= SYSTEMS.get(language, frozenset({"latin"}))
    return frozenset(out) or ALL_SYSTEMS


def last_approved(session: Session, asset: Asset) -> dict[str, tuple[Version, tuple[str, ...]]]:
    """Per market: the latest earlier version it approved (with or without changes), and at which stages."""
    rows = session.exec(
        select(Approval.market, Approval.stage, Version)
        .join(Version, col(Version.id) == col(Approval.version_id))
        .where(
            Approval.asset_id == asset.id,
            col(Approval.version_id) != asset.current_version_id,
            col(Approval.decision).in_(APPROVING),
        )
        .order_by(col(Version.major).desc(), col(Version.minor).desc(), col(Approval.stage))
    ).all()
    found: dict[str, tuple[Version, tuple[str, ...]]] = {}
    for market, stage, version in rows:
        seen = found.get(market)
        if seen is None:
            found[market] = (version, (stage,))
        elif seen[0].id == version.id:
            found[market] = (version, (*seen[1], stage))
    return found


def request_comparisons(session: Session, version: Version) -> int:
    """Worker: compare a new current version with each earlier version a market approved; how many
    comparisons were asked for (each is computed once, and kept for the compare view too)."""
    asset = session.get(Asset, version.asset_id)
    if asset is None or asset.current_version_id != version.id:
        return 0
    earlier = {v.id for v, _ in last_approved(session, asset).values()}
    for version_id in sorted(earlier):
        diff_jobs.ensure_diff(session, version_id, version.id)
    return len(earlier)


def since_approved(session: Session, asset: Asset, markets: list[str]) -> list[SinceApproved]:
    """For each of these markets that approved an earlier version: what the comparison says."""
    if asset.current_version_id is None:
        return []
    approved = {m: found for m, found in last_approved(session, asset).items() if m in markets}
    if not approved:
        return []
    current = session.get_one(Version, asset.current_version_id)
    earlier = list({v.id for v, _ in approved.values()})
    diffs = {
        d.version_a: d
        for d in session.exec(
            select(VersionDiff).where(
                col(VersionDiff.version_a).in_(earlier),
                VersionDiff.version_b == current.id,
                VersionDiff.method == METHOD,
            )
        )
    }
    read = [*earlier, current.id]  # a redone line may be longer on either side
    lines = {t.version_id: t.lines for t in session.exec(select(ImageText).where(col(ImageText.version_id).in_(read)))}
    facts = {m.code: m for m in session.exec(select(Market).where(col(Market.code).in_(approved)))}
    decided = set(session.exec(select(Approval.market, Approval.stage).where(Approval.version_id == current.id)).all())
    out = []
    for market in markets:
        if market not in approved:
            continue
        found = facts.get(market)
        required = found.review_stages if found is not None else ["legal"]
        if all((market, stage) in decided for stage in required):
            continue  # the market has decided on this version: the hint has done its work
        version, stages = approved[market]
        both = [*lines.get(version.id, []), *lines.get(current.id, [])]
        reads = ALL_SYSTEMS if found is None or found.is_global else systems_of(found.languages)
        state, text = _judged(diffs.get(version.id), both, reads, current)
        who = f"{version.label}, which {market} approved at {' and '.join(stages)} review"
        out.append(SinceApproved(market, version.id, version.label, stages, state, text.replace("{since}", who)))
    return out


def _judged(
    diff: VersionDiff | None, lines: list[dict[str, Any]], ours: frozenset[str], current: Version
) -> tuple[SinceState, str]:
    """The state, and the sentence with {since} for the approved version."""
    if diff is None:  # the worker has not asked yet (or the version predates this hint)
        return SinceState.NOT_COMPARED, f"{current.label} is not compared with {{since}} yet; Compare shows it."
    if diff.status in (DiffStatus.QUEUED, DiffStatus.RUNNING):
        return SinceState.COMPARING, f"{current.label} is being compared with {{since}}; the result shows here."
    if diff.status == DiffStatus.FAILED:
        return (
            SinceState.NOT_COMPARED,
            f"{current.label} could not be compared with {{since}} ({diff.error}): review it in full.",
        )
    summary = diff.summary
    if summary.get("same_bytes"):
        return SinceState.UNCHANGED, f"{current.label} is the same file as {{since}}."
    if summary.get("video"):
        return (
            SinceState.NOT_COMPARED,
            "A video: the comparison with {since} sees its frames, not its sound; review it in full.",
        )
    # A picture's words are what OCR read from its pixels: their changes are the pixels' changes, placed.
    # A document's copy has no places: its changed words are judged by their writing system.
    words = _changed_words(summary.get("words")) if summary.get("words_from") == "copy" else ""
    coverage = (summary.get("pixels") or {}).get("coverage")
    if summary.get("words_from") == "picture" and coverage is not None and coverage < MIN_COVERAGE:
        return SinceState.NOT_COMPARED, (
            f"{current.label} is framed differently from {{since}} (only {coverage:.0%} of it could be compared): "
            "review it in full."
        )
    places = _places(summary)
    foreign = [line for line in lines if _foreign(line.get("text", ""), ours)]
    read_here = [line for line in lines if systems_in(line.get("text", "")) & ours]
    # A place is outside the market's area when it lies in another script's line and touches none of
    # the lines it reads, on either version (a Chinese line replaced by a Japanese one is a change).
    in_ours = [
        p
        for p in places
        if not any(_inside(p, line["box"]) for line in foreign) or any(_touches(p, line["box"]) for line in read_here)
    ]
    ours_in_words = bool(systems_in(words) & ours) or bool(words and not systems_in(words))
    if not places and not words:
        return SinceState.UNCHANGED, "No visible change since {since}; the decision is yours."
    if not in_ours and not ours_in_words:
        others = {s for line in foreign for s in systems_in(line["text"])} | systems_in(words)
        written = " or ".join(SYSTEM_NAMES[s] for s in sorted(others - ours))
        where = (
            f"the {_count(len(places), 'changed place')} {'is' if len(places) == 1 else 'are all'} in text written in"
            if places
            else "only words written in"
        )
        return SinceState.UNCHANGED, (
            f"Unchanged where this market reads since {{since}}: {where} {written or 'other scripts'}; "
            "the decision is yours."
        )
    parts = []
    if in_ours:
        parts.append(f"{_count(len(in_ours), 'changed place')} in what this market reads")
    if ours_in_words:
        parts.append("changed words it reads")
    return SinceState.CHANGED, f"Changed since {{since}}: {' and '.join(parts)}."


def _changed_words(words: dict[str, Any] | None) -> str:
    if not words:
        return ""
    return " ".join(text for op, text in words.get("segments", []) if op != "same")


def _places(summary: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    """The changed regions as fractions of version A's picture."""
    pixels, a = summary.get("pixels") or {}, summary.get("a") or {}
    width, height = a.get("width") or 0, a.get("height") or 0
    if not width or not height:
        compared = pixels.get("compared_at") or [0, 0]
        width, height = compared[0] or 1, compared[1] or 1
    return [
        (r["x"] / width, r["y"] / height, r["width"] / width, r["height"] / height) for r in pixels.get("regions", [])
    ]


def _foreign(text: str, ours: frozenset[str]) -> bool:
    """Text written only in systems the market does not read (a line of digits is everyone's)."""
    systems = systems_in(text)
    return bool(systems) and not systems & ours


def _inside(place: tuple[float, float, float, float], box: list[float]) -> bool:
    x, y, w, h = place
    bx, by, bw, bh = box[0] - MARGIN, box[1] - MARGIN, box[2] + 2 * MARGIN, box[3] + 2 * MARGIN
    overlap_w = max(0.0, min(x + w, bx + bw) - max(x, bx))
    overlap_h = max(0.0, min(y + h, by + bh) - max(y, by))
    return w * h > 0 and overlap_w * overlap_h >= INSIDE * w * h


def _touches(place: tuple[float, float, float, float], box: list[float]) -> bool:
    x, y, w, h = place
    return x < box[0] + box[2] and box[0] < x + w and y < box[1] + box[3] and box[1] < y + h


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"
