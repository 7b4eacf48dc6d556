"""Read a plain-language query: words naming markets, content types, phases, channels and time
become filters, words for looks and people become preferences (both shown as chips a click
switches); the rest is what to search for.

"beauty product North America latest" -> text "beauty", market NA and product images (filters),
newest first. A market, content type, phase, channel, approval or time named as such filters.
"red themed banner" -> red is preferred: red pictures rank first, others still come.
"only red banner", "red only" -> red filters. "vertical video" -> portrait preferred.
"with people", "model wearing" -> people preferred; "for people who", "people love", "people with
dry skin" are plain words. "red envelope", "green tea", "Black Friday" are no colour wishes.
Short aliases such as "US", "SEA", "NA" count only when typed in capitals, so "show us the sea"
stays plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from dam_app.assets.dimensions import DIMENSIONS, AssetFilter
from dam_app.catalog.models import Channel, ContentType, Market, Phase
from dam_app.catalog.service import Lexicon
from dam_app.review.models import APPROVAL_STATE_LABELS
from dam_app.search.visual import COLOUR_NAMES

MAX_QUERY_CHARS = 500
SORT = "sort"  # the kind of a chip that orders results instead of narrowing them
_WORD = re.compile(r"[\w][\w'\-]*", re.UNICODE)
_FILLER = {
    "market", "markets", "themed", "theme", "in", "for", "the", "of", "from", "with", "and", "a", "an", "only",
}  # fmt: skip
_ONLY = "only"
_NEWEST = {"latest", "newest", "recent", "new"}
_COLOUR_MARKERS = {"themed", "theme", "colour", "color", "coloured", "colored", "tone", "toned", "background"}
# "Black Friday" is a sale, "red envelope" a gift, "green tea" a drink: a colour before these words
# (or before the next word of a campaign's name) is no wish for that colour.
_NOT_A_COLOUR_BEFORE = {
    "friday", "monday", "week", "day", "weekend", "envelope", "envelopes", "packet", "packets", "pocket",
    "carpet", "wine", "tea", "pepper", "peppers", "label", "paper", "list", "sea", "card", "belt",
}  # fmt: skip
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
    (("in", "review"), "in_review"),
    (("partly", "approved"), "in_review"),
    (("awaiting", "approval"), "unreviewed"),
    (("pending", "approval"), "unreviewed"),
    (("approved",), "approved"),
    (("rejected",), "rejected"),
    (("unreviewed",), "unreviewed"),
    (("unapproved",), "unreviewed"),
]
_PERSON_WORDS = {"people", "person"}
# (words, wanted, strict): longest first. Phrases that start with a person word are read in context.
_PEOPLE_PHRASES: list[tuple[tuple[str, ...], bool, bool]] = [
    (("without", "people"), False, False),
    (("no", "people"), False, False),
    (("product", "only"), False, True),
    (("with", "a", "person"), True, False),
    (("with", "a", "model"), True, False),
    (("with", "people"), True, False),
    (("with", "person"), True, False),
    (("with", "models"), True, False),
    (("model", "wearing"), True, False),
    (("model", "holding"), True, False),
    (("model", "using"), True, False),
    (("models", "wearing"), True, False),
    (("people",), True, False),
    (("person",), True, False),
]
# "for people who ...", "helps people", "people love it", "people with dry skin": about the buyer,
# not a wish for people in the picture.
_BUYER_WORD_BEFORE = {"for", "to", "help", "helps", "lets", "let", "many", "most", "all", "busy", "everyday"}
_BUYER_WORD_AFTER = {
    "who", "that", "which", "whose", "love", "loves", "like", "likes", "want", "wants", "need", "needs",
    "with", "on", "of", "are", "will", "can", "say", "buy", "use",
}  # fmt: skip
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
    """How some words of the query were understood: a filter (strict), a preference, or an order."""

    kind: str  # a dimension's name (assets/dimensions.py), or SORT
    value: str  # as the dimension's URL parameter writes it
    label: str
    words: str = ""  # the words of the query it came from: removing the chip removes them
    strict: bool = True  # filters; False: prefers (matches rank first, the rest still come)

    @property
    def key(self) -> str:
        """What the API's `require` and `prefer` parameters name it by."""
        return f"{self.kind}:{self.value}"


@dataclass
class ParsedQuery:
    raw: str
    text: str = ""  # the words to match: what the chips took and function words left out
    phrase: str = ""  # what the embedding reads: the chips' words left out, function words kept
    chips: list[Chip] = field(default_factory=list)
    newest_first: bool = False
    most_used_first: bool = False

    def add(self, kind: str, value: str, label: str, *, strict: bool, words: str = "") -> bool:
        """Add a chip unless the query already has it; whether it was added."""
        if any(c.key == f"{kind}:{value}" for c in self.chips):
            return False
        self.chips.append(Chip(kind, value, label, words, strict))
        return True

    def has(self, kind: str) -> bool:
        return any(c.kind == kind for c in self.chips)

    def required(self) -> AssetFilter:
        """What the strict chips ask, as a filter."""
        return self._filter(strict=True)

    def preferred(self) -> AssetFilter:
        """What the preferences ask, as a filter (search ranks its matches first)."""
        return self._filter(strict=False)

    def _filter(self, *, strict: bool) -> AssetFilter:
        selection: dict[str, list[str]] = {}
        for chip in self.chips:
            if chip.kind != SORT and chip.strict is strict:
                selection.setdefault(chip.kind, []).append(chip.value)
        return DIMENSIONS.to_filter(selection)

    def switched(self, require: Iterable[str] = (), prefer: Iterable[str] = ()) -> ParsedQuery:
        """The same query with the chips named (by key) made filters or preferences: the user's click."""
        require, prefer = set(require), set(prefer)
        chips = [
            replace(c, strict=c.key in require or (c.strict and c.key not in prefer)) if c.kind != SORT else c
            for c in self.chips
        ]
        return replace(self, chips=chips)


def parse(raw: str, lexicon: Lexicon, *, now: datetime | None = None) -> ParsedQuery:
    now = now or datetime.now(UTC)
    raw = " ".join(raw[:MAX_QUERY_CHARS].split())
    parsed = ParsedQuery(raw=raw)
    words = _WORD.findall(raw)
    lower = [w.lower() for w in words]
    rest: list[str] = []
    i = 0
    chip_ends_at = -1  # the word after the last chip's words: "red only" makes that chip strict
    while i < len(words):
        if lower[i] == _ONLY and chip_ends_at == i and parsed.chips:
            parsed.chips[-1] = replace(parsed.chips[-1], strict=True)
            i += 1
            continue
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
                parsed.add(SORT, "newest", "Newest first", strict=False)
        if consumed:
            if len(parsed.chips) > chips_before:
                only = i > 0 and lower[i - 1] == _ONLY  # "only red", "only with people"
                chip = parsed.chips[-1]
                parsed.chips[-1] = replace(chip, words=" ".join(words[i : i + consumed]), strict=chip.strict or only)
                chip_ends_at = i + consumed
            i += consumed
            continue
        if lower[i] in COLOUR_NAMES and not _names_something_else(lower, i, lexicon):  # it stays a word too
            only = i > 0 and lower[i - 1] == _ONLY
            if parsed.add("colour", lower[i], f"Colour: {lower[i]}", strict=only, words=words[i]):
                chip_ends_at = i + 1
        rest.append(words[i])
        i += 1
    parsed.text = " ".join(w for w in rest if w.lower() not in _FILLER)
    # "made from wool" keeps its "from" for the model: a sentence reads better than its keywords.
    parsed.phrase = " ".join(w for w in rest if w.lower() != _ONLY) if parsed.text else ""
    # Words of the raw query that are not \w (emoji, punctuation) carry no meaning for search.
    return parsed


def _names_something_else(lower: list[str], i: int, lexicon: Lexicon) -> bool:
    """'black friday', 'red envelope', or two words of a campaign's name: no colour wish."""
    nxt = lower[i + 1] if i + 1 < len(lower) else ""
    return nxt in _NOT_A_COLOUR_BEFORE or lexicon.in_campaign_name(lower[i], nxt)


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
            label = f"{kind.replace('_', ' ').capitalize()}: {lexicon.label(table, code)}"
            parsed.add(kind, code, label, strict=True)  # named as such: it filters
            return span
    return 0


def _looks(lower: list[str], i: int, parsed: ParsedQuery) -> int:
    """ "red themed", "in blue", "blue colour" -> red preferred; "vertical", "square" -> orientation
    preferred. Looks are wishes: they rank, they do not exclude (unless "only")."""
    word = lower[i]
    if word in _ORIENTATION_WORDS:
        value = _ORIENTATION_WORDS[word]
        parsed.add("orientation", value, f"Orientation: {value}", strict=False)
        return 1
    nxt = lower[i + 1] if i + 1 < len(lower) else ""
    if word in COLOUR_NAMES and nxt in _COLOUR_MARKERS:
        parsed.add("colour", word, f"Colour: {word}", strict=False)
        return 2
    if word == "in" and nxt in COLOUR_NAMES:
        parsed.add("colour", nxt, f"Colour: {nxt}", strict=False)
        return 2
    return 0


def _starts_with(lower: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(lower[i : i + len(phrase)]) == phrase


def _review_people_usage(lower: list[str], i: int, parsed: ParsedQuery) -> int:
    """ "legal approved" -> approval state; "with people" / "product only" -> people or none
    preferred (only "product only" filters); "most used" / "popular" -> the most downloaded first."""
    for phrase, state in _APPROVAL_PHRASES:
        if _starts_with(lower, i, phrase):
            parsed.add("approval", state, APPROVAL_STATE_LABELS[state], strict=True)
            return len(phrase)
    for phrase, wanted, strict in _PEOPLE_PHRASES:
        if _starts_with(lower, i, phrase):
            if phrase[0] in _PERSON_WORDS and _about_buyers(lower, i, len(phrase)):
                return 0  # "for people who ...": plain words
            if not parsed.has("has_person"):
                label = "With people" if wanted else "Without people"
                parsed.add("has_person", str(wanted).lower(), label, strict=strict)
            return len(phrase)
    for phrase in _MOST_USED_PHRASES:
        if _starts_with(lower, i, phrase):
            if not parsed.most_used_first:
                parsed.most_used_first = True
                parsed.add(SORT, "most_used", "Most used first", strict=False)
            return len(phrase)
    return 0


def _about_buyers(lower: list[str], i: int, length: int) -> bool:
    """Whether the person word at i speaks of who the product is for, not of who is in the picture."""
    before = lower[i - 1] if i > 0 else ""
    after = lower[i + length] if i + length < len(lower) else ""
    return before in _BUYER_WORD_BEFORE or after in _BUYER_WORD_AFTER


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
    if not parsed.has("created_after"):  # from the start of that day: the chip's key stays the same all day
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        parsed.add("created_after", day.date().isoformat(), label, strict=True)
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
