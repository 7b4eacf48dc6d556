"""The filter dimensions, each declared once: its AssetFilter field, column and SQL test, its name in
URLs and the API (one name for both), its label, and how search merges it with the parsed query.

The SQL conditions, the API's query parameters (api/filters.py), search's merge and facets
(search/service.py, search/facets.py, search/tokens.py) and the search page's URL and facets all
read DIMENSIONS, so a new facet is one row here plus its column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Text, literal, or_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col

from dam_app.assets.buckets import (
    AGE_BUCKETS,
    USAGE_BUCKETS,
    age_bucket_of,
    in_age_buckets,
    in_usage_buckets,
    usage_bucket_of,
)
from dam_app.assets.models import Asset


@dataclass
class AssetFilter:
    """What a list or search is narrowed to; every field is one row of DIMENSIONS."""

    markets: list[str] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    media_kinds: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    orientations: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    approvals: list[str] = field(default_factory=list)  # approval states, e.g. legal_approved
    usable_in: list[str] = field(default_factory=list)  # markets where the current version may be used
    usage: list[str] = field(default_factory=list)  # USAGE_BUCKETS names
    added: list[str] = field(default_factory=list)  # AGE_BUCKETS names: how long ago it was added
    has_person: bool | None = None
    text: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


class Kind(StrEnum):
    """The type of a dimension's value in AssetFilter."""

    LIST = "list"  # any of several values
    FLAG = "flag"  # true, false or not asked
    DATE = "date"  # a moment, or not asked
    TEXT = "text"  # words, or not asked


class Match(StrEnum):
    """How SQL asks a dimension's column; it also decides the value's kind and how facets count it."""

    ANY_OF = "any_of"  # a scalar column equals one of the values
    OVERLAPS = "overlaps"  # an array column shares a value (GIN index)
    USAGE = "usage"  # the use count falls in one of the named USAGE_BUCKETS
    AGE = "age"  # the creation time falls in one of the named AGE_BUCKETS
    IS = "is"  # a boolean column is the value
    SINCE = "since"  # at or after the moment
    BEFORE = "before"  # before the moment
    CONTAINS = "contains"  # title or description holds the words (a search document: its text)


_KINDS: dict[Match, Kind] = {  # every other match asks a list
    Match.IS: Kind.FLAG,
    Match.SINCE: Kind.DATE,
    Match.BEFORE: Kind.DATE,
    Match.CONTAINS: Kind.TEXT,
}
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Dimension:
    """One way to narrow assets, with everything each interface needs to offer it."""

    name: str  # in URLs and the API: one set of names for both
    field: str  # the AssetFilter attribute
    label: str  # what the UI calls it
    column: str  # on Asset, and on the search document that mirrors its columns
    match: Match
    description: str | None = None  # of the API query parameter
    facet: bool = False  # counted per value beside the results
    parsed: bool = False  # the query parser can fill it too (see DimensionTable.merge for the rule)
    normalise: Callable[[str], str] | None = None  # the case values are stored in (str.upper, str.lower)
    token: str | None = None  # its prefix in the full-text index (search/tokens.py, migration 0007)
    aliases: tuple[str, ...] = ()  # older search-page URL names, still read
    param: bool = True  # a URL and API filter parameter (the library's title words come as q instead)

    @property
    def kind(self) -> Kind:
        return _KINDS.get(self.match, Kind.LIST)

    @property
    def facet_key(self) -> str:
        """Its key in search's facet counts: the column counted, or the name of the ranges it is cut in."""
        return self.name if self.match is Match.AGE else self.column

    @property
    def ranges(self) -> tuple[str, ...] | None:
        """Values that are ranges, in their own order (shown that way, not by count)."""
        return {Match.USAGE: tuple(USAGE_BUCKETS), Match.AGE: tuple(AGE_BUCKETS)}.get(self.match)

    def clean(self, values: Sequence[str]) -> list[str]:
        return [self.normalise(v) for v in values] if self.normalise else list(values)

    def condition(self, value: Any, source: Any, now: datetime) -> ColumnElement[bool] | None:
        """The SQL condition for `value` on `source` (Asset or its mirror), or None when not asked."""
        if value is None or value == [] or (self.kind is Kind.TEXT and not value.strip()):
            return None
        if self.match is Match.CONTAINS:
            return _contains(value, source)
        column = getattr(source, self.column)
        match self.match:
            case Match.ANY_OF:
                return column.in_(value)
            case Match.OVERLAPS:
                return overlaps(column, value)
            case Match.USAGE:
                return in_usage_buckets(column, value)
            case Match.AGE:
                return in_age_buckets(column, value, now)
            case Match.IS:
                return column.is_(value)
            case Match.SINCE:
                return column >= value
            case Match.BEFORE:
                return column < value
        raise AssertionError(self.match)

    def meets(self, wanted: Any, value: Any, now: datetime) -> bool:
        """Whether `value` (of this dimension's column) meets `wanted`: `condition` in Python, for rows
        already read. A dimension not asked is met."""
        if wanted is None or wanted == []:
            return True
        match self.match:
            case Match.ANY_OF:
                return value in wanted
            case Match.OVERLAPS:
                return bool(set(value or ()) & set(wanted))
            case Match.USAGE:
                return usage_bucket_of(value or 0) in wanted
            case Match.AGE:
                return age_bucket_of(value, now) in wanted
            case Match.IS:
                return bool(value) is wanted
            case Match.SINCE:
                return bool(value >= wanted)
            case Match.BEFORE:
                return bool(value < wanted)
        return True  # words: search's own business


def overlaps(column: Any, values: list[str]) -> ColumnElement[bool]:
    """`column && $1::text[]`, served by a GIN index on the array column."""
    return column.op("&&")(literal(sorted(values), type_=ARRAY(Text)))


def _contains(words: str, source: Any) -> ColumnElement[bool]:
    pattern = "%" + words.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if source is Asset:
        return or_(col(Asset.title).ilike(pattern), col(Asset.description).ilike(pattern))
    return source.content.ilike(pattern)  # a mirror has no title, only the indexed text (never a join back)


def aware(moment: datetime | None) -> datetime | None:
    """A date without a zone is read as UTC (the database compares zone-aware times)."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _typed(d: Dimension, values: Sequence[str]) -> Any:
    """A dimension's value from the strings of a URL (bad flags and dates read as not asked)."""
    if d.kind is Kind.LIST:
        return d.clean(values)
    if len(values) != 1:
        return None  # "people=true,false" asks nothing
    if d.kind is Kind.FLAG:
        word = values[0].lower()
        return True if word in _TRUE else False if word in _FALSE else None
    if d.kind is Kind.DATE:
        try:
            return aware(datetime.fromisoformat(values[0]))
        except ValueError:
            return None
    return values[0] or None


def _strings(d: Dimension, value: Any) -> list[str]:
    """The inverse of `_typed`: a dimension's value as URL strings, [] when not asked."""
    if value is None or value == []:
        return []
    if d.kind is Kind.LIST:
        return list(value)
    if d.kind is Kind.FLAG:
        return [str(value).lower()]
    if d.kind is Kind.DATE:
        return [value.isoformat()]
    return [value]


def _merged(d: Dimension, explicit: Any, understood: Any) -> Any:
    """Search's rule per kind: lists unite, an explicit flag wins, the later start and earlier end win."""
    if d.kind is Kind.LIST:
        return list(dict.fromkeys([*explicit, *understood]))
    if d.kind is Kind.FLAG:
        return explicit if explicit is not None else understood
    moments = [m for m in (explicit, understood) if m]
    pick = max if d.match is Match.SINCE else min
    return pick(moments, default=None)


@dataclass(frozen=True)
class DimensionTable:
    """The dimensions and what every interface asks of them."""

    rows: tuple[Dimension, ...]

    def __iter__(self) -> Iterator[Dimension]:
        return iter(self.rows)

    def named(self, name: str) -> Dimension:
        return next(d for d in self.rows if d.name == name)

    @property
    def params(self) -> tuple[Dimension, ...]:
        """Those with a URL and API parameter."""
        return tuple(d for d in self.rows if d.param)

    @property
    def facets(self) -> tuple[Dimension, ...]:
        """Those counted beside results, in the order the search page shows them."""
        return tuple(d for d in self.rows if d.facet)

    def conditions(self, f: AssetFilter, source: Any = Asset) -> list[ColumnElement[bool]]:
        """One SQL condition per dimension `f` asks, on Asset or a table mirroring its columns."""
        now = datetime.now(UTC)
        found = (d.condition(getattr(f, d.field), source, now) for d in self.rows)
        return [c for c in found if c is not None]

    def asked(self, f: AssetFilter) -> list[tuple[Dimension, Any]]:
        """The dimensions `f` asks something (words aside), each with its typed value."""
        found = ((d, getattr(f, d.field)) for d in self.rows if d.kind is not Kind.TEXT)
        return [(d, value) for d, value in found if value is not None and value != []]

    def build(self, values: Mapping[str, Any]) -> AssetFilter:
        """A filter from values already typed (the API's parameters), by dimension name."""
        fields: dict[str, Any] = {}
        for d in self.rows:
            value = values.get(d.name)
            fields[d.field] = d.clean(value or []) if d.kind is Kind.LIST else value
        fields.update((d.field, aware(fields[d.field])) for d in self.rows if d.kind is Kind.DATE)
        return AssetFilter(**fields)

    def to_filter(self, selection: Mapping[str, Sequence[str]]) -> AssetFilter:
        """A filter from strings by dimension name, as the UI holds and URLs carry them."""
        return AssetFilter(**{d.field: _typed(d, selection.get(d.name, [])) for d in self.rows})

    def selection(self, f: AssetFilter) -> dict[str, list[str]]:
        """The inverse of `to_filter`: what `f` asks, as strings by dimension name."""
        found = {d.name: _strings(d, getattr(f, d.field)) for d in self.rows}
        return {name: values for name, values in found.items() if values}

    def read_url(self, query: Mapping[str, str]) -> dict[str, list[str]]:
        """The dimensions in a URL query (comma-separated values; an older name read as its alias)."""
        chosen: dict[str, list[str]] = {}
        for d in self.params:
            raw = next((query[n] for n in (d.name, *d.aliases) if query.get(n)), "")
            values = [v for v in raw.split(",") if v]
            if values:
                chosen[d.name] = d.clean(values) if d.kind is Kind.LIST else values
        return chosen

    def write_url(self, selection: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """URL query parameters for a selection, under the API's names, in table order."""
        return {d.name: ",".join(values) for d in self.params if (values := selection.get(d.name))}

    def merge(self, explicit: AssetFilter, understood: object) -> AssetFilter:
        """Explicit filters and what a query parser understood (`understood` carries, under the
        AssetFilter field names, the dimensions marked `parsed`). A text filter is dropped: search's
        words are its query."""
        fields: dict[str, Any] = {}
        for d in self.rows:
            if d.kind is not Kind.TEXT:
                mine = getattr(explicit, d.field)
                fields[d.field] = _merged(d, mine, getattr(understood, d.field)) if d.parsed else mine
        return AssetFilter(**fields)


_UP, _DOWN = str.upper, str.lower
# fmt: off
DIMENSIONS = DimensionTable(
    (  # in the order the search page shows the facets
        Dimension(
            "market", "markets", "Market", "markets", Match.OVERLAPS, "Market codes (any of)",
            facet=True, parsed=True, normalise=_UP, token="~m",
        ),
        Dimension(
            "content_type", "content_types", "Content type", "content_type", Match.ANY_OF,
            facet=True, parsed=True, token="~t", aliases=("type",),
        ),
        Dimension(
            "added", "added", "Added", "created_at", Match.AGE,
            "How long ago it was added (any of): 7d, 30d (8-30 days), 90d, 365d or older", facet=True,
        ),
        Dimension("phase", "phases", "Phase", "phase", Match.ANY_OF, facet=True, parsed=True, token="~p"),
        Dimension("campaign", "campaigns", "Campaign", "campaign", Match.ANY_OF, facet=True),
        Dimension("channel", "channels", "Channel", "channel", Match.ANY_OF, facet=True, parsed=True, token="~c"),
        Dimension(
            "media_kind", "media_kinds", "Kind", "media_kind", Match.ANY_OF, facet=True, token="~k", aliases=("kind",)
        ),
        Dimension("status", "statuses", "Status", "status", Match.ANY_OF, token="~s"),
        Dimension(
            "language", "languages", "Language", "language", Match.ANY_OF, "Language codes, e.g. en, ja",
            facet=True, aliases=("lang",),
        ),
        Dimension(
            "colour", "colours", "Colour", "colours", Match.OVERLAPS, "Dominant colours (any of), e.g. red",
            facet=True, parsed=True, normalise=_DOWN,
        ),
        Dimension(
            "orientation", "orientations", "Orientation", "orientation", Match.ANY_OF,
            "landscape, portrait or square", facet=True, parsed=True, normalise=_DOWN,
        ),
        Dimension("tag", "tags", "Tag", "tag_names", Match.OVERLAPS, "Tag names (any of)", facet=True),
        Dimension(
            "approval", "approvals", "Approval", "approval_states", Match.OVERLAPS,
            "approved, rejected, unreviewed, legal_approved, brand_approved or market_approved",
            facet=True, parsed=True, normalise=_DOWN,
        ),
        Dimension(
            "usable_in", "usable_in", "Usable in", "usable_in", Match.OVERLAPS,
            "Market codes where the current version may be used (usable, or usable with conditions)",
            facet=True, normalise=_UP, aliases=("usable",),
        ),
        Dimension(
            "has_person", "has_person", "People", "has_person", Match.IS,
            "Only pictures with (true) or without (false) people", facet=True, parsed=True, aliases=("people",),
        ),
        Dimension(
            "usage", "usage", "Downloads", "use_count", Match.USAGE, "Downloads: unused, 1-4, 5-19 or 20+", facet=True
        ),
        Dimension(
            "created_after", "created_after", "Added after", "created_at", Match.SINCE, "Added at or after, ISO 8601",
            parsed=True,
        ),
        Dimension(
            "created_before", "created_before", "Added before", "created_at", Match.BEFORE, "Added before, ISO 8601"
        ),
        Dimension("text", "text", "Title or description", "title", Match.CONTAINS, param=False),
    )
)
# fmt: on


def filter_conditions(f: AssetFilter, source: Any = Asset) -> list[ColumnElement[bool]]:
    """Conditions on `Asset` or on a table that mirrors its columns under the same names."""
    return DIMENSIONS.conditions(f, source)
