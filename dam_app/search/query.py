"""Read a plain-language query: words naming markets, content types, phases, channels and time
become filters (shown to the user as removable chips); the rest is what to search for.

"beauty product North America latest" -> text "beauty product", market NA, newest first.
"red themed banner" -> colour filter red; a bare "red" stays a word and favours red pictures.
"vertical video" -> portrait orientation.
"legal approved banner with people" -> approval state legal_approved, pictures with people.
"most used hero shot" -> the most downloaded first.
Short aliases such as "US", "SEA", "NA" count only when typed in capitals, so "show us the sea"
stays plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from dam_app.catalog.models import Channel, ContentType, Market, Phase
from dam_app.catalog.service import Lexicon
from dam_app.review.models import APPROVAL_STATE_LABELS
from dam_app.search.visual import COLOUR_NAMES

MAX_QUERY_CHARS = 500
_WORD = re.compile(r"[\w][\w'\-]*", re.UNICODE)
_FILLER = {"market", "markets", "themed", "theme", "in", "for", "the", "of", "from", "with", "and", "a", "an"}
_NEWEST = {"latest", "newest", "recent", "new"}
_COLOUR_MARKERS = {"themed", "theme", "colour", "color", "coloured", "colored", "tone", "toned", "background"}
# "Black Friday" is a sale, not a colour: these words, or a pair of words from a campaign's name.
_NAMED_DAYS = {"friday", "monday", "week", "day", "weekend"}
_ORIENTATION_WORDS = {
    "landscape": "landscape",
    "horizontal": "landscape",
    "portrait": "portrait",
    "vertical": "portrait",
    "square": "square",
}
# Approval wording -> approval state (see review.models and migration 0005), longest phrases first.
_APPROVAL_PHRASES: list[tuple[tuple[str, ...], str]] = [
    (("legal", "approved"), "legal_approved"),
    (("legally", "approved"), "legal_approved"),
    (("brand", "approved"), "brand_approved"),
    (("market", "approved"), "market_approved"),
    (("not", "reviewed"), "unreviewed"),
    (("awaiting", "approval"), "unreviewed"),
    (("pending", "approval"), "unreviewed"),
    (("approved",), "approved"),
    (("rejected",), "rejected"),
    (("unreviewed",), "unreviewed"),
    (("unapproved",), "unreviewed"),
]
_PEOPLE_PHRASES: list[tuple[tuple[str, ...], bool]] = [
    (("without", "people"), False),
    (("no", "people"), False),
    (("product", "only"), False),
    (("with", "people"), True),
    (("with", "person"), True),
    (("people",), True),
    (("person",), True),
]
_MOST_USED_PHRASES = [("most", "used"), ("most", "downloaded"), ("popular",)]
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_DIMENSIONS: list[tuple[str, type[Market] | type[ContentType] | type[Phase] | type[Channel]]] = [
    ("market", Market),
    ("content_type", ContentType),
    ("phase", Phase),
    ("channel", Channel),
]


@dataclass(frozen=True)
class Chip:
    kind: str
    value: str
    label: str
    words: str = ""  # the words of the query it came from: removing the chip removes them


@dataclass
class ParsedQuery:
    raw: str
    text: str = ""
    markets: list[str] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    preferred_colours: list[str] = field(default_factory=list)
    orientations: list[str] = field(default_factory=list)
    approvals: list[str] = field(default_factory=list)
    has_person: bool | None = None
    created_after: datetime | None = None
    newest_first: bool = False
    most_used_first: bool = False
    chips: list[Chip] = field(default_factory=list)

    def add(self, kind: str, value: str, label: str, words: str = "") -> None:
        target = {
            "market": self.markets,
            "content_type": self.content_types,
            "phase": self.phases,
            "channel": self.channels,
            "colour": self.colours,
            "prefer_colour": self.preferred_colours,
            "orientation": self.orientations,
            "approval": self.approvals,
        }[kind]
        if value not in target:
            target.append(value)
            self.chips.append(Chip(kind, value, label, words))


def parse(raw: str, lexicon: Lexicon, *, now: datetime | None = None) -> ParsedQuery:
    now = now or datetime.now(UTC)
    raw = " ".join(raw[:MAX_QUERY_CHARS].split())
    parsed = ParsedQuery(raw=raw)
    words = _WORD.findall(raw)
    lower = [w.lower() for w in words]
    rest: list[str] = []
    i = 0
    while i < len(words):
        chips_before = len(parsed.chips)
        consumed = (
            _time_phrase(lower, i, parsed, now)
            or _review_people_usage(lower, i, parsed)  # before the catalogue: "product only" is no type
            or _vocabulary(words, lower, i, lexicon, parsed)
            or _looks(lower, i, parsed)
        )
        if not consumed and lower[i] in _NEWEST:
            consumed = 1
            if not parsed.newest_first:
                parsed.newest_first = True
                parsed.chips.append(Chip("sort", "newest", "Newest first"))
        if consumed:
            if len(parsed.chips) > chips_before:
                parsed.chips[-1] = replace(parsed.chips[-1], words=" ".join(words[i : i + consumed]))
            i += consumed
            continue
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        named = nxt in _NAMED_DAYS or lexicon.in_campaign_name(lower[i], nxt)
        if lower[i] in COLOUR_NAMES and not named:  # a wish, not a rule: it boosts, stays a word
            parsed.add("prefer_colour", lower[i], f"Prefers {lower[i]}", words[i])
        rest.append(words[i])
        i += 1
    meaningful = [w for w in rest if w.lower() not in _FILLER]
    parsed.text = " ".join(meaningful)
    # Words of the raw query that are not \w (emoji, punctuation) carry no meaning for search.
    return parsed


def _vocabulary(words: list[str], lower: list[str], i: int, lexicon: Lexicon, parsed: ParsedQuery) -> int:
    for span in (3, 2, 1):
        if i + span > len(words):
            continue
        phrase = " ".join(lower[i : i + span])
        original = " ".join(words[i : i + span])
        for kind, table in _DIMENSIONS:
            code = lexicon.lookup(table, phrase) or (lexicon.lookup(table, phrase.rstrip("s")) if span == 1 else None)
            if code is None:
                continue
            if len(phrase) <= 3 and original != original.upper():
                continue  # "us", "sea", "na" as ordinary words
            parsed.add(kind, code, f"{kind.replace('_', ' ').capitalize()}: {lexicon.label(table, code)}")
            return span
    return 0


def _looks(lower: list[str], i: int, parsed: ParsedQuery) -> int:
    """ "red themed", "in blue", "blue colour" -> colour filter; "vertical", "square" -> orientation."""
    word = lower[i]
    if word in _ORIENTATION_WORDS:
        value = _ORIENTATION_WORDS[word]
        parsed.add("orientation", value, f"Orientation: {value}")
        return 1
    nxt = lower[i + 1] if i + 1 < len(lower) else ""
    if word in COLOUR_NAMES and nxt in _COLOUR_MARKERS:
        parsed.add("colour", word, f"Colour: {word}")
        return 2
    if word == "in" and nxt in COLOUR_NAMES:
        parsed.add("colour", nxt, f"Colour: {nxt}")
        return 2
    return 0


def _starts_with(lower: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(lower[i : i + len(phrase)]) == phrase


def _review_people_usage(lower: list[str], i: int, parsed: ParsedQuery) -> int:
    """ "legal approved" -> approval state; "with people" / "product only" -> has a person or not;
    "most used" / "popular" -> the most downloaded first."""
    for phrase, state in _APPROVAL_PHRASES:
        if _starts_with(lower, i, phrase):
            parsed.add("approval", state, APPROVAL_STATE_LABELS[state])
            return len(phrase)
    for phrase, wanted in _PEOPLE_PHRASES:
        if _starts_with(lower, i, phrase):
            if parsed.has_person is None:
                parsed.has_person = wanted
                parsed.chips.append(Chip("person", str(wanted).lower(), "With people" if wanted else "Without people"))
            return len(phrase)
    for phrase in _MOST_USED_PHRASES:
        if _starts_with(lower, i, phrase):
            if not parsed.most_used_first:
                parsed.most_used_first = True
                parsed.chips.append(Chip("sort", "most_used", "Most used first"))
            return len(phrase)
    return 0


def _time_phrase(lower: list[str], i: int, parsed: ParsedQuery, now: datetime) -> int:
    word = lower[i]
    nxt = lower[i + 1] if i + 1 < len(lower) else ""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if word == "today":
        return _since(parsed, today, "Today", 1)
    if word == "this" and nxt in ("week", "month"):
        start = today - timedelta(days=today.weekday()) if nxt == "week" else today.replace(day=1)
        return _since(parsed, start, f"This {nxt}", 2)
    if word == "last" and nxt.isdigit() and i + 2 < len(lower) and lower[i + 2].startswith("day"):
        return _since(parsed, now - timedelta(days=int(nxt)), f"Last {nxt} days", 3)
    if word == "last" and nxt in ("week", "month"):
        return _since(parsed, now - timedelta(days=7 if nxt == "week" else 30), f"Last {nxt}", 2)
    if word == "since" and nxt:
        date, used = _date(lower[i + 1 : i + 3], now)
        if date is not None:
            return _since(parsed, date, f"Since {date:%b} {date.day}", 1 + used)
    return 0


def _since(parsed: ParsedQuery, start: datetime, label: str, consumed: int) -> int:
    parsed.created_after = start
    parsed.chips.append(Chip("since", start.date().isoformat(), label))
    return consumed


def _date(words: list[str], now: datetime) -> tuple[datetime | None, int]:
    """'oct 1', '1 october', '2026-10-01' -> a date in the past year, and how many words it used."""
    if words and re.fullmatch(r"\d{4}-\d{2}-\d{2}", words[0]):
        try:
            return datetime.fromisoformat(words[0]).replace(tzinfo=UTC), 1
        except ValueError:
            return None, 0
    if len(words) == 2:
        month_word, day_word = (words[0], words[1]) if not words[0].isdigit() else (words[1], words[0])
        month = _MONTHS.get(month_word[:3])
        if month and day_word.isdigit() and 1 <= int(day_word) <= 31:
            try:
                date = datetime(now.year, month, int(day_word), tzinfo=UTC)
            except ValueError:
                return None, 0
            return (date.replace(year=now.year - 1) if date > now else date), 2
    return None, 0
