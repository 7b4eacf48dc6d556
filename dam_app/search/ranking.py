"""How words and meaning are weighed: field weights, how rare each word is, and how the word and
meaning rankings are fused.

Rarity comes from PostgreSQL's own statistics: ANALYZE (autovacuum runs it as the library changes)
keeps the most common lexemes of `search_documents.lexemes` with the share of documents holding
each. A word not listed is rarer than every listed one. Read once a minute per process: no query
per search, no shared row written, and it costs nothing at a million documents.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import Session

from dam_app.search.text import is_cjk

# ts_rank weights for the fields' letters D, C, B, A (search/documents.py): title 1.0, keywords 0.6,
# description and copy 0.4, the rest 0.2.
FIELD_WEIGHTS = "{0.2,0.4,0.6,1.0}"
COMMON = 0.05  # a word in more than this share of documents does not pick candidates (it still scores)
RRF_K = 5  # measured on the catalogue set: 60 flattened the top ranks (MRR 0.61; 0.69 at 10, 0.73 at 5)
FOREIGN_SHARE = 0.5  # below this share of whole-vocabulary words the query is not English to the model
FOREIGN_MEANING = 0.3
STATS_TTL = 60.0


@dataclass(frozen=True)
class TermStats:
    """The share of documents that hold each common word; `floor` for a word not listed."""

    shares: dict[str, float] = field(default_factory=dict)
    floor: float = 1.0  # no statistics yet: every word counts the same

    def share(self, term: str) -> float:
        return self.shares.get(term, self.floor)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency from the share (a prefix term counts as its stem)."""
        share = min(max(self.share(term.rstrip("*:")), 1e-6), 1.0)
        return math.log(1.0 + (1.0 - share + 1e-3) / (share + 1e-3))

    def informative(self, terms: list[str]) -> list[str]:
        """The terms rare enough to pick candidates; all of them when every one is common."""
        rare = [t for t in terms if self.share(t) <= COMMON]
        return rare or terms


_lock = threading.Lock()
_cached: tuple[float, TermStats] = (-math.inf, TermStats())


def term_stats(session: Session) -> TermStats:
    """The library's word statistics, at most STATS_TTL seconds old."""
    global _cached
    now = time.monotonic()
    if now - _cached[0] < STATS_TTL:
        return _cached[1]
    with _lock:
        if now - _cached[0] >= STATS_TTL:
            _cached = (now, _read_stats(session))
    return _cached[1]


def forget_stats() -> None:
    """Read the statistics again on the next search (after an ANALYZE, in tests and benchmarks)."""
    global _cached
    _cached = (-math.inf, TermStats())


def _read_stats(session: Session) -> TermStats:
    # A truncated table keeps its old statistics but its row estimate goes back to "never
    # analysed" (-1): those statistics describe documents that are gone, so they are not used.
    row = session.execute(
        text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_stats s "
            "JOIN pg_class c ON c.relname = s.tablename AND c.relkind = 'r' "
            "WHERE s.tablename = 'search_documents' AND s.attname = 'lexemes' AND c.reltuples > 0"
        )
    ).first()
    if row is None or not row[0] or not row[1]:
        return TermStats()
    words, freqs = list(row[0]), [float(f) for f in row[1]]
    # The frequencies end with three summary values: the lowest and highest listed share, and nulls.
    lowest = freqs[len(words)] if len(freqs) > len(words) else min(freqs[: len(words)])
    return TermStats(dict(zip(words, freqs[: len(words)], strict=False)), floor=lowest / 2)


def fusion_weights(query: str, known_share: float) -> tuple[float, float]:
    """(words, meaning) weights of the reciprocal-rank fusion. A short query is mostly names, which
    words match exactly; a long one describes a need, which the embedding reads better. The model
    reads English: for a Chinese or Japanese query its ranking is noise, and for one whose words
    it mostly does not know (`known_share`, e.g. German) it is weak."""
    if any(is_cjk(ch) for ch in query):
        return 1.0, 0.0
    words = len(query.split())
    words_weight, meaning_weight = (1.0, 0.8) if words <= 2 else (0.8, 1.0) if words <= 5 else (0.5, 1.0)
    if known_share < FOREIGN_SHARE:
        meaning_weight *= FOREIGN_MEANING
    return words_weight, meaning_weight
