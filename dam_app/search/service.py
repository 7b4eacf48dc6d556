"""Hybrid search: PostgreSQL full-text and pgvector similarity, fused by reciprocal rank.

Both retrievers see the same visibility and filter conditions, so a caller never gets an asset
outside their markets. With a filter, HNSW alone would lose recall; `hnsw.iterative_scan` keeps
scanning until enough rows pass the filter.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, text
from sqlmodel import Session, col

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset
from dam_app.assets.service import AssetCard, AssetFilter
from dam_app.catalog import service as catalog_service
from dam_app.search import embeddings
from dam_app.search.models import SearchDocument
from dam_app.search.query import ParsedQuery, parse
from dam_app.search.text import query_terms, tsquery

CANDIDATES = 200
RRF_K = 60
MIN_SIMILARITY = 0.2  # cosine similarity below this is noise for MiniLM
FACET_DIMENSIONS = ("markets", "content_type", "phase", "campaign", "channel", "media_kind")


@dataclass(frozen=True)
class Hit:
    card: AssetCard
    score: float
    similarity: float | None
    matched_terms: list[str]
    highlight: str


@dataclass
class SearchResult:
    parsed: ParsedQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def search(
    *,
    session: Session,
    principal: Principal,
    query: str,
    filters: AssetFilter | None = None,
    sort: str = "relevance",
    limit: int = 24,
    offset: int = 0,
) -> SearchResult:
    limit, offset = max(1, min(limit, 100)), max(0, min(offset, CANDIDATES))
    parsed = parse(query, catalog_service.lexicon(session=session))
    merged = _merge(filters or AssetFilter(), parsed)
    where = and_(assets_service.visibility(principal), *assets_service.filter_conditions(merged))
    terms = query_terms(parsed.text)
    if not terms:
        return _browse(session, parsed, where, limit, offset)

    fts = _full_text(session, where, terms)
    vec = _vector(session, where, parsed.text)
    scores: dict[uuid.UUID, float] = {}
    for ranking in (list(fts), list(vec)):
        for rank, asset_id in enumerate(ranking, start=1):
            scores[asset_id] = scores.get(asset_id, 0.0) + 1.0 / (RRF_K + rank)
    created = _created(session, list(scores))
    if parsed.newest_first or sort == "newest":
        now = datetime.now(UTC)
        for asset_id, when in created.items():
            age_days = max(0.0, (now - when).total_seconds() / 86400)
            scores[asset_id] *= 1.0 + math.exp(-age_days / 30)
    ordered = sorted(scores, key=lambda a: (-scores[a], -created[a].timestamp(), str(a)))
    if sort == "newest":
        ordered = sorted(scores, key=lambda a: created[a], reverse=True)
    page = ordered[offset : offset + limit]
    cards = {c.asset.id: c for c in assets_service.cards_for(session, _assets(session, page))}
    highlights = _highlights(session, page, terms)
    hits = [
        Hit(cards[a], round(scores[a], 6), vec.get(a), fts.get(a, []), highlights.get(a, ""))
        for a in page
        if a in cards
    ]
    facets = _facets(session, col(Asset.id).in_(ordered)) if ordered else {}
    return SearchResult(parsed, hits, len(ordered), facets)


def _merge(explicit: AssetFilter, parsed: ParsedQuery) -> AssetFilter:
    def union(a: list[str], b: list[str]) -> list[str]:
        return list(dict.fromkeys([*a, *b]))

    return AssetFilter(
        markets=union(explicit.markets, parsed.markets),
        content_types=union(explicit.content_types, parsed.content_types),
        phases=union(explicit.phases, parsed.phases),
        campaigns=explicit.campaigns,
        channels=union(explicit.channels, parsed.channels),
        statuses=explicit.statuses,
        media_kinds=explicit.media_kinds,
        created_after=max(filter(None, [explicit.created_after, parsed.created_after]), default=None),
        created_before=explicit.created_before,
    )


def _full_text(session: Session, where: ColumnElement[bool], terms: list[str]) -> dict[uuid.UUID, list[str]]:
    """Asset id -> which query terms it contains, best ts_rank_cd first."""
    query = func.to_tsquery("simple", tsquery(terms))
    rank = func.ts_rank_cd(col(SearchDocument.lexemes), query)
    rows = session.execute(
        select(col(SearchDocument.asset_id), func.ts_rank_cd(col(SearchDocument.lexemes), query))
        .join(Asset, col(Asset.id) == col(SearchDocument.asset_id))
        .where(where, col(SearchDocument.lexemes).op("@@")(query))
        .order_by(rank.desc())
        .limit(CANDIDATES)
    ).all()
    ids = [r[0] for r in rows]
    matched: dict[uuid.UUID, list[str]] = {a: [] for a in ids}
    if ids:
        # Which of the terms each hit contains: one probe per term over at most 200 rows.
        for term in terms[:16]:
            probe = func.to_tsquery("simple", tsquery([term], prefix_last=term == terms[-1]))
            for (asset_id,) in session.execute(
                select(col(SearchDocument.asset_id)).where(
                    col(SearchDocument.asset_id).in_(ids),
                    SearchDocument.lexemes.op("@@")(probe),  # type: ignore[attr-defined]
                )
            ):
                matched[asset_id].append(term)
    return matched


def _vector(session: Session, where: ColumnElement[bool], text_query: str) -> dict[uuid.UUID, float]:
    """Asset id -> cosine similarity, most similar first, above MIN_SIMILARITY."""
    vector = embeddings.embed_one(text_query)
    session.execute(text("SET LOCAL hnsw.ef_search = 200"))
    session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    distance = SearchDocument.embedding.cosine_distance(vector)  # type: ignore[union-attr]
    rows = session.execute(
        select(col(SearchDocument.asset_id), distance)
        .join(Asset, col(Asset.id) == col(SearchDocument.asset_id))
        .where(where, col(SearchDocument.embedding).is_not(None))
        .order_by(distance)
        .limit(CANDIDATES)
    ).all()
    ranked = sorted(((r[0], 1.0 - float(r[1])) for r in rows), key=lambda p: -p[1])  # relaxed order: re-sort
    return {asset_id: round(sim, 4) for asset_id, sim in ranked if sim >= MIN_SIMILARITY}


def _browse(session: Session, parsed: ParsedQuery, where: ColumnElement[bool], limit: int, offset: int) -> SearchResult:
    """Only filters (or nothing): newest first, like the library."""
    total = session.execute(select(func.count()).select_from(Asset).where(where)).scalar_one()
    rows = (
        session.execute(
            select(Asset)
            .where(where)
            .order_by(col(Asset.created_at).desc(), col(Asset.id).desc())
            .limit(limit)
            .offset(offset)
        )
        .scalars()
        .all()
    )
    hits = [Hit(card, 0.0, None, [], "") for card in assets_service.cards_for(session, list(rows))]
    return SearchResult(parsed, hits, int(total), _facets(session, where))


def _assets(session: Session, ids: list[uuid.UUID]) -> list[Asset]:
    if not ids:
        return []
    found = {a.id: a for a in session.execute(select(Asset).where(col(Asset.id).in_(ids))).scalars()}
    return [found[i] for i in ids if i in found]


def _created(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    if not ids:
        return {}
    rows = session.execute(select(col(Asset.id), col(Asset.created_at)).where(col(Asset.id).in_(ids))).all()
    return {r[0]: r[1] for r in rows}


def _highlights(session: Session, ids: list[uuid.UUID], terms: list[str]) -> dict[uuid.UUID, str]:
    """A short excerpt around the matched words, marked with « » (plain text, safe to show)."""
    if not ids:
        return {}
    query = func.to_tsquery("simple", tsquery(terms))
    options = "StartSel=«, StopSel=», MaxWords=18, MinWords=6, MaxFragments=2, FragmentDelimiter= … "
    rows = session.execute(
        select(
            col(SearchDocument.asset_id), func.ts_headline("simple", col(SearchDocument.content), query, options)
        ).where(col(SearchDocument.asset_id).in_(ids), col(SearchDocument.lexemes).op("@@")(query))
    ).all()
    return {r[0]: " ".join(str(r[1]).split()) for r in rows}


def _facets(session: Session, where: ColumnElement[bool]) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of each dimension over the assets the current query matches."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for dimension in FACET_DIMENSIONS:
        column: Any = func.unnest(Asset.markets) if dimension == "markets" else getattr(Asset, dimension)
        value = column.label("value")
        rows = session.execute(
            select(value, func.count())
            .select_from(Asset)
            .where(where)
            .group_by(text("value"))
            .order_by(func.count().desc())
            .limit(30)
        ).all()
        facets[dimension] = [(str(v), int(n)) for v, n in rows if v is not None]
    return facets
