"""What a search answers: ranked hits, and why the page holds what it holds (constraints loosened,
notes for the user)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dam_app.assets.service import AssetCard
from dam_app.search.query import ParsedQuery


@dataclass(frozen=True)
class Constraint:
    """One thing that narrows a search: a strict chip of the query or a filter the caller chose."""

    dimension: str  # a dimension's name (assets/dimensions.py)
    values: tuple[str, ...]  # as its URL parameter writes them
    label: str
    source: str  # "query": understood from the words; "filter": chosen (facet, URL or API parameter)


@dataclass(frozen=True)
class Hit:
    card: AssetCard
    score: float
    similarity: float | None
    matched_terms: list[str]
    highlight: str
    picture_similarity: float | None = None  # words against pixels, with the optional CLIP model
    unmet: tuple[str, ...] = ()  # labels of loosened constraints this hit does not meet (it came in by them)
    matched_in: dict[str, list[str]] = field(default_factory=dict)  # field -> query terms found there
    carried_by: str = ""  # "words", "meaning" or "words and meaning" (search/explain.py); "" in a browse


@dataclass
class SearchResult:
    parsed: ParsedQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    estimated: bool = False  # total and facet counts scaled from a sample of a very large match set
    notes: list[str] = field(default_factory=list)  # sentences for the user: why the page looks so
    loosened: list[Constraint] = field(default_factory=list)  # dropped, softest first, to find more
    relaxed: bool = False  # the hits include those the loosening let in (after the exact ones)
    exact_total: int | None = None  # with constraints loosened: how many met them all
    loosened_total: int = 0  # with constraints loosened: how many more they let in
