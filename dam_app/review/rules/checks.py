"""The checkers: pure functions from a pack's definition and an asset's texts to findings, each
with the words matched and where they stand, so the page can highlight them (or box them on the
picture) and the tests can measure precision and recall without a database."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

from dam_app.review.rules.packs import AbsoluteTerms, Claims, Disclosure

TITLE, DESCRIPTION, COPY, IMAGE_TEXT = "title", "description", "copy", "image_text"
MAX_TEXT = 100_000  # characters of one text read (a long document's first 30 pages or so)
MAX_PER_FIELD = 100  # findings of one pack in one text: past that, a reviewer has seen the point
FIELD_LABELS = {TITLE: "Title", DESCRIPTION: "Description", COPY: "Copy", IMAGE_TEXT: "Text in the image"}


class Rule:
    ABSOLUTE_TERM = "absolute_term"
    MISSING_DISCLOSURE = "missing_disclosure"
    BURIED_DISCLOSURE = "buried_disclosure"
    WEAK_DISCLOSURE = "weak_disclosure"
    HEALTH_CLAIM = "health_claim"


RULE_LABELS = {
    Rule.ABSOLUTE_TERM: "absolute term",
    Rule.MISSING_DISCLOSURE: "no ad disclosure",
    Rule.BURIED_DISCLOSURE: "disclosure not in the first line",
    Rule.WEAK_DISCLOSURE: "weak disclosure",
    Rule.HEALTH_CLAIM: "health claim without evidence",
}


@dataclass(frozen=True)
class TextField:
    """One text of a version. For text read from the picture, `boxes` holds each line's span in
    `text` and its box (x, y, width, height as fractions of the picture)."""

    name: str
    text: str
    boxes: Sequence[tuple[int, int, Sequence[float]]] = ()

    def box_at(self, position: int) -> list[float] | None:
        for start, end, box in self.boxes:
            if start <= position < end:
                return list(box)
        return None


def picture_field(lines: Iterable[tuple[str, Sequence[float]]]) -> TextField:
    """The text read from a picture as one field, line by line, each line's span kept with its box."""
    parts: list[str] = []
    boxes: list[tuple[int, int, Sequence[float]]] = []
    position = 0
    for text, box in lines:
        parts.append(text)
        boxes.append((position, position + len(text), list(box)))
        position += len(text) + 1
    return TextField(IMAGE_TEXT, "\n".join(parts), boxes)


@dataclass(frozen=True)
class Match:
    rule: str
    field: str
    start: int
    end: int
    matched: str
    message: str
    box: list[float] | None = None


def run(definition: BaseModel, fields: Sequence[TextField], tags: Iterable[str] = ()) -> list[Match]:
    """What one pack finds in a version's texts (`tags`: the asset's tag names, which say whether it
    is partner content)."""
    if isinstance(definition, AbsoluteTerms):
        return [m for f in fields for m in _absolute_terms(definition, f)]
    if isinstance(definition, Claims):
        return [m for f in fields for m in _claims(definition, f)]
    if isinstance(definition, Disclosure):
        return _disclosure(definition, fields, {t.lower() for t in tags})
    raise TypeError(f"no checker for {type(definition).__name__}")


def _has_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in word)


@lru_cache(maxsize=64)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Longest first, so "全网第一" wins over "第一"; Latin words whole ("best", not "bestow")."""
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        escaped = re.escape(term)
        parts.append(escaped if _has_cjk(term) else rf"(?<![\w#]){escaped}(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...], multiline: bool = False) -> tuple[re.Pattern[str], ...]:
    flags = re.IGNORECASE | (re.MULTILINE if multiline else 0)
    return tuple(re.compile(p, flags) for p in patterns)


class Spans:
    """Where exemptions matched, merged into sorted disjoint stretches, so "is this term inside one"
    is a binary search: a copy repeating "最佳食用" 20,000 times stays linear."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def cover(self, start: int, end: int) -> bool:
        at = bisect_right(self._starts, start) - 1
        return at >= 0 and end <= self._ends[at]


def _matches(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """Every non-empty match (a pattern that can match nothing is refused on save; this is the guard)."""
    return (m for p in patterns for m in p.finditer(text) if m.end() > m.start())


def _spans(patterns: Iterable[re.Pattern[str]], text: str) -> Spans:
    return Spans(m.span() for m in _matches(patterns, text))


_MARK_AFTER = re.compile(r"[\w\u3040-\u9fff]{0,8}[®™]")


def _absolute_terms(pack: AbsoluteTerms, text_field: TextField) -> list[Match]:
    text = text_field.text[:MAX_TEXT]
    exempting = list(_compiled(tuple(pack.exempt_patterns)))
    if pack.trademarks:
        exempting.append(_term_pattern(tuple(pack.trademarks)))
    exempt = _spans(exempting, text)
    found: list[Match] = []
    for m in _matches([_term_pattern(tuple(pack.terms))], text):
        if exempt.cover(m.start(), m.end()) or _MARK_AFTER.match(text, m.end()):
            continue  # a consumer tip, an ordinal, the advertiser's own range, a registered name
        if len(found) == MAX_PER_FIELD:
            break
        found.append(
            Match(
                Rule.ABSOLUTE_TERM,
                text_field.name,
                m.start(),
                m.end(),
                m.group(),
                f"“{m.group()}” is an absolute term, which ads for this market may not use as a claim",
                text_field.box_at(m.start()),
            )
        )
    return found


def _claims(pack: Claims, text_field: TextField) -> list[Match]:
    text = text_field.text[:MAX_TEXT]
    look_alikes = _spans(_compiled(tuple(pack.not_claims)), text)
    found: list[Match] = []
    for m in sorted(_matches(_compiled(tuple(pack.patterns)), text), key=lambda m: m.start()):
        if look_alikes.cover(m.start(), m.end()) or (found and m.start() < found[-1].end):
            continue  # a look-alike, or inside the claim just found (matches come in order)
        if len(found) == MAX_PER_FIELD:
            break
        found.append(
            Match(
                Rule.HEALTH_CLAIM,
                text_field.name,
                m.start(),
                m.end(),
                m.group(),
                f"“{m.group()}” is a health or efficacy claim: it may run only with evidence on file",
                text_field.box_at(m.start()),
            )
        )
    return found


def _disclosure(pack: Disclosure, fields: Sequence[TextField], tags: set[str]) -> list[Match]:
    """Partner content must disclose in its first line (copy first, else the description) or on the
    picture; a disclosure further down is buried, and the weak tags never count."""
    if not tags & {t.lower() for t in pack.applies_to_tags}:
        return []
    clear = _compiled(tuple(pack.disclosures), multiline=True)
    weak = _compiled(tuple(pack.not_enough))
    words = [f for f in fields if f.name in (COPY, DESCRIPTION) and f.text.strip()]
    words.sort(key=lambda f: 0 if f.name == COPY else 1)
    on_picture = [f for f in fields if f.name == IMAGE_TEXT and f.text.strip()]
    found = [
        Match(
            Rule.WEAK_DISCLOSURE,
            f.name,
            m.start(),
            m.end(),
            m.group(),
            f"“{m.group()}” does not tell people the post is paid; use #ad, #sponsored or “Paid partnership”",
            f.box_at(m.start()),
        )
        for f in words + on_picture
        for m in _matches(weak, f.text[:MAX_TEXT])
    ][:MAX_PER_FIELD]
    if any(p.search(f.text, 0, MAX_TEXT) for f in on_picture for p in clear):
        return found
    if words:
        lead = words[0]
        first_line_end = _first_line_end(lead.text)
        if any(p.search(lead.text, 0, first_line_end) for p in clear):
            return found
        later = [(f, m) for f in words for m in _matches(clear, f.text[:MAX_TEXT])]
        if later:
            f, m = min(later, key=lambda pair: (pair[0] is not lead, pair[1].start()))
            message = f"“{m.group()}” comes after the first line, where people may not see it; put it first"
            return [*found, Match(Rule.BURIED_DISCLOSURE, f.name, m.start(), m.end(), m.group(), message)]
    where = words[0].name if words else (on_picture[0].name if on_picture else COPY)
    message = "Partner content without a clear disclosure: start the copy with #ad, #sponsored or “Paid partnership”"
    return [*found, Match(Rule.MISSING_DISCLOSURE, where, 0, 0, "", message)]


def _first_line_end(text: str) -> int:
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return len(text) if end < 0 else end
