"""Hybrid search: PostgreSQL full-text and pgvector similarity, fused by reciprocal rank.

Both retrievers see the same visibility and filter conditions, so a caller never gets an asset
outside their markets. With a filter, HNSW alone would lose recall; `hnsw.iterative_scan` keeps
scanning until enough rows pass the filter.
"""

from __future__ import annotations

import logging
import math
import os
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    cast,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import Session, col

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.dimensions import DIMENSIONS
from dam_app.assets.models import Asset
from dam_app.assets.service import AssetFilter
from dam_app.catalog import service as catalog_service
from dam_app.search import (
    browse,
    clip,
    embeddings,
    explain,
    facets,
    passages,
    preferences,
    ranking,
    relax,
    statements,
    tokens,
)
from dam_app.search.highlight import highlight
from dam_app.search.models import INDEXED_EXPRESSION, ClipEmbedding, SearchDocument
from dam_app.search.query import ParsedQuery, parse
from dam_app.search.results import Hit, SearchResult
from dam_app.search.text import query_terms, tsquery

log = logging.getLogger(__name__)

CANDIDATES = 200
MAX_SCORED_TERMS = 24  # a 10,000-character query scores its first words, and stays cheap
VECTOR_CANDIDATES = 60  # RRF weight beyond rank 60 is under half the top weight; fewer rows, less Python
FILTERED_VECTOR_CANDIDATES = 40  # a filtered walk costs per candidate; fusion leans on the top ranks anyway
ANY_TERM_MAX_DOCUMENTS = 300_000
FTS_SCAN = 300  # matches ranked per query: reading 500 wide rows cost 8 ms of the 10 at 100k
EXACT_SCAN_MIN = 3_000
MIN_SIMILARITY = 0.2  # cosine similarity below this is noise for MiniLM
SORTS = ("relevance", "newest", "most_used")
EMPTY: frozenset[uuid.UUID] = frozenset()


def ef_search(documents: float, *, filtered: bool = False) -> int:
    """How wide HNSW searches: recall falls as the graph grows, so the beam grows with it, and a
    filter (walked with iterative scan) needs a wider one still. Measured recall@20 (benchmarks/
    search.py, ef_construction 128): at 100k 0.994 with 200; at 1M (m 16) unfiltered 0.955 with 500,
    0.983 with 800; with a market filter 0.947 at 800, 0.959 at 1000 (pgvector's largest). Another
    1M build with m 16 stayed at 0.945 / 0.928 whatever the beam; with m 24 (migration 0019) 0.966
    unfiltered, 0.955 with the market filter."""
    base = max(200, min(800, round(documents / 1250)))
    return min(1000, round(base * 1.6)) if filtered else base


def search(
    *,
    session: Session,
    principal: Principal,
    query: str,
    filters: AssetFilter | None = None,
    sort: str = "relevance",
    limit: int = 24,
    offset: int = 0,
    require: Iterable[str] = (),
    prefer: Iterable[str] = (),
    exact: bool = False,
) -> SearchResult:
    """Search; `require` and `prefer` switch chips (by key) to filters or preferences, and `exact`
    keeps the results to those that meet every constraint (search/relax.py otherwise loosens)."""
    limit, offset = max(1, min(limit, 100)), max(0, min(offset, CANDIDATES))
    parsed = parse(query, catalog_service.cached_lexicon(session=session)).switched(require, prefer)

    def run(
        parsed: ParsedQuery, explicit: AssetFilter, *, limit: int, offset: int, exclude: frozenset[uuid.UUID] = EMPTY
    ) -> SearchResult:
        return _ranked(session, principal, parsed, explicit, sort=sort, limit=limit, offset=offset, exclude=exclude)

    return relax.answer(parsed, filters or AssetFilter(), run, principal, limit=limit, offset=offset, exact=exact)


def _ranked(
    session: Session,
    principal: Principal,
    parsed: ParsedQuery,
    explicit: AssetFilter,
    *,
    sort: str,
    limit: int,
    offset: int,
    exclude: frozenset[uuid.UUID] = EMPTY,
) -> SearchResult:
    """One ranked search: the constraints as given, `exclude` left out (hits already shown)."""
    merged = DIMENSIONS.merge(explicit, parsed.required())
    terms = query_terms(parsed.text)
    if not terms:
        where = and_(assets_service.visibility(principal), *assets_service.filter_conditions(merged))
        if exclude:
            where = and_(where, col(Asset.id).not_in(exclude))
        return browse.browse(session, parsed, where, sort, limit, offset)

    doc = SearchDocument
    where = and_(assets_service.visibility(principal, doc), *assets_service.filter_conditions(merged, doc))
    by_tokens = tokens.split(principal, merged)
    fts_where = and_(
        true() if by_tokens.covers_visibility else assets_service.visibility(principal, doc),
        *assets_service.filter_conditions(by_tokens.residual, doc),
    )
    filtered = not (principal.all_regions and _has_no_filters(merged))
    # The query is embedded on another thread while this one runs full-text search (the two overlap
    # on two cores); the vector query then runs on this same connection. A request never holds its
    # connection while it waits for a second one: under load that wait deadlocked the pool.
    query_vector = _pool().submit(embeddings.embed_query, parsed.phrase or parsed.text)
    clip_dir = clip.model_dir()
    clip_vector = _pool().submit(_clip_query_vector, clip_dir, parsed.phrase or parsed.text) if clip_dir else None
    candidates: dict[uuid.UUID, Any] = {}
    fts = _full_text(session, fts_where, by_tokens.tsquery, terms, candidates)
    counters = facets.count_facets(candidates.values())
    vector_rows: dict[uuid.UUID, Any] = {}
    meaning = statements.query_vector(query_vector.result())
    vec = _vector(session, where, meaning, vector_rows, filtered=filtered)
    picture_vector = clip_vector.result() if clip_vector else None
    pictures, picture_rows = (
        _clip_search(session, where, picture_vector, clip_dir) if clip_dir and picture_vector else ({}, {})
    )
    more = {asset_id: row for asset_id, row in (vector_rows | picture_rows).items() if asset_id not in candidates}
    candidates.update(more)
    vec = _with_passages(session, vec, list(candidates), meaning)
    facets.count_facets(more.values(), counters)
    by_words: dict[uuid.UUID, float] = {}
    by_meaning: dict[uuid.UUID, float] = {}
    words_weight, meaning_weight = ranking.fusion_weights(parsed.text, embeddings.known_share(parsed.text))
    for parts, weight, ranked in (
        (by_words, words_weight, fts),
        (by_meaning, meaning_weight, list(vec)),
        (by_meaning, meaning_weight, list(pictures)),
    ):
        for rank, asset_id in enumerate(ranked, start=1):
            parts[asset_id] = parts.get(asset_id, 0.0) + weight / (ranking.RRF_K + rank)
    scores = {
        asset_id: by_words.get(asset_id, 0.0) + by_meaning.get(asset_id, 0.0) for asset_id in by_words | by_meaning
    }
    created = {asset_id: row[1].timestamp() for asset_id, row in candidates.items()}  # see facets.candidate_columns
    for asset_id in exclude:
        scores.pop(asset_id, None)
    wished = preferences.met(candidates, parsed.preferred())
    if parsed.newest_first and sort != "newest":
        now = time.time()
        for asset_id in scores:
            age_days = max(0.0, (now - created[asset_id]) / 86400)
            scores[asset_id] *= 1.0 + math.exp(-age_days / 30)
    if sort == "newest":
        ordered = sorted(scores, key=lambda a: (created[a], a.int), reverse=True)
    elif sort == "most_used" or parsed.most_used_first:  # the relevant ones, most downloaded first
        uses = {asset_id: row[facets.USE_COUNT_POSITION] or 0 for asset_id, row in candidates.items()}
        ordered = sorted(scores, key=lambda a: (-uses[a], -scores[a], a.int))
    else:  # preferences met first; equal scores: the newer asset first, then a stable order
        ordered = sorted(scores, key=lambda a: (-wished.get(a, 0), -scores[a], -created[a], a.int))
    page = ordered[offset : offset + limit]
    shown = session.execute(
        select(Asset, col(SearchDocument.content))
        .join(SearchDocument, col(SearchDocument.asset_id) == col(Asset.id))
        .where(col(Asset.id).in_(page))
    ).all()
    cards = {c.asset.id: c for c in assets_service.cards_for(session, [asset for asset, _ in shown])}
    reasons = {asset.id: highlight(content, terms) for asset, content in shown}
    fields = {
        asset.id: explain.matched_in(asset.title, asset.description, asset.tag_names, content, terms)
        for asset, content in shown
    }
    hits = [
        Hit(
            cards[a],
            round(scores[a], 6),
            vec.get(a),
            *reasons[a],
            picture_similarity=pictures.get(a),
            matched_in=fields[a],
            carried_by=explain.carried_by(by_words.get(a, 0.0), by_meaning.get(a, 0.0)),
        )
        for a in page
        if a in cards
    ]
    return SearchResult(parsed, hits, len(ordered), {d: c.most_common(30) for d, c in counters.items()})


def _with_passages(
    session: Session, whole: dict[uuid.UUID, float], candidate_ids: list[uuid.UUID], vector: ColumnElement[Any]
) -> dict[uuid.UUID, float]:
    """The meaning ranking: each candidate's best of its whole document and its passages
    (search/passages.py), most similar first, above MIN_SIMILARITY."""
    best = dict(whole)
    for asset_id, similarity in passages.best_similarity(session, candidate_ids, vector).items():
        if similarity > best.get(asset_id, -1.0):
            best[asset_id] = round(similarity, 4)
    return dict(sorted(((a, s) for a, s in best.items() if s >= MIN_SIMILARITY), key=lambda pair: -pair[1]))


@cache
def _pool_for(pid: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix=f"search-{pid}")


def _pool() -> ThreadPoolExecutor:
    """One small pool per process (a forked child must not reuse its parent's threads)."""
    return _pool_for(os.getpid())


def _full_text(
    session: Session, where: ColumnElement[bool], filter_query: str, terms: list[str], candidates: dict[uuid.UUID, Any]
) -> list[uuid.UUID]:
    """Best full-text matches, ranked BM25-like: each term's field-weighted, saturating count
    (ts_rank over the field weights, normalised by the document's length) times its rarity.

    Candidates are the documents holding every informative term, then any of them when those are
    too few; a word most documents hold ("that", "new") picks none but still scores.
    `filter_query` (search/tokens.py) carries region scope and the tokenised filters into the same
    index scan as the words; `where` holds the remaining conditions. Ranking is done over at most
    FTS_SCAN matches per mode, so a common word costs the same at 1M assets as at 1,000; the vector
    part orders large match sets by meaning anyway.
    """
    found: dict[uuid.UUID, float] = {}
    indexed: ColumnElement[Any] = literal_column(INDEXED_EXPRESSION)
    stats = ranking.term_stats(session)
    picking = stats.informative(terms)
    # A sequential scan "until FTS_SCAN matches" reads the wide rows of every non-matching document
    # too; the GIN bitmap reads only pages that hold matches. Only for these queries: `_vector`, which
    # always follows, turns it back on in the same round trip as its own settings.
    statements.set_local(session, {"enable_seqscan": "off"})
    # Any-term matching helps when no document has every term, but a common word's posting list is
    # 100k+ rows at a million documents (110 ms to gather); there the vector part finds the partial
    # matches by meaning instead.
    modes = [" & ", " | "] if len(picking) > 1 else [" | "]
    if len(modes) > 1 and _document_count(session) > ANY_TERM_MAX_DOCUMENTS:
        modes = [" & "]
    for mode in modes:
        words = func.to_tsquery("simple", tsquery(picking, joiner=mode))
        query = words.op("&&")(cast(literal(filter_query), TSQUERY)) if filter_query else words
        matches = (
            select(*facets.candidate_columns(), col(SearchDocument.lexemes).label("lexemes"))
            .where(where, indexed.op("@@")(query))
            .limit(FTS_SCAN)
            .subquery()
        )
        score = _bm25_like(matches.c.lexemes, terms, stats)
        columns = [c for name, c in matches.c.items() if name != "lexemes"]
        for row in session.execute(select(*columns, score.label("score")).order_by(score.desc()).limit(CANDIDATES)):
            found[row.asset_id] = float(row.score)
            candidates[row.asset_id] = row
        if len(found) >= CANDIDATES // 4:
            break
    return sorted(found, key=lambda asset_id: -found[asset_id])[:CANDIDATES]


def _bm25_like(lexemes: Any, terms: list[str], stats: ranking.TermStats) -> ColumnElement[Any]:
    """Σ idf(term) · ts_rank(field weights, document, term, length-normalised), as one expression."""
    weights: ColumnElement[Any] = literal_column(f"'{ranking.FIELD_WEIGHTS}'::real[]")
    parts = [
        func.ts_rank(weights, lexemes, func.to_tsquery("simple", tsquery([term], prefix_last=i == len(terms) - 1)), 1)
        * stats.idf(term)
        for i, term in enumerate(terms[:MAX_SCORED_TERMS])
    ]
    total: ColumnElement[Any] = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _clip_query_vector(model_dir: Path, text_query: str) -> list[float] | None:
    """The words embedded by the CLIP model; a broken model folder costs this ranking, never the search."""
    try:
        return clip.embed_text(model_dir, text_query)
    except Exception:
        log.exception("CLIP model in %s failed; searching without it", model_dir)
        return None


def _clip_search(
    session: Session, where: ColumnElement[bool], vector: list[float], model_dir: Path
) -> tuple[dict[uuid.UUID, float], dict[uuid.UUID, Any]]:
    """Pictures whose CLIP embedding is nearest the words (exact scan over the caller's candidates)."""
    distance = col(ClipEmbedding.embedding).cosine_distance(vector)  # type: ignore[attr-defined]
    rows = session.execute(
        select(*facets.candidate_columns(), distance.label("distance"))
        .join(ClipEmbedding, col(ClipEmbedding.asset_id) == col(SearchDocument.asset_id))
        .where(where, col(ClipEmbedding.model) == clip.model_name(model_dir))
        .order_by(distance)
        .limit(VECTOR_CANDIDATES)
    ).all()
    return {r.asset_id: round(1.0 - float(r.distance), 4) for r in rows}, {r.asset_id: r for r in rows}


def _vector(
    session: Session,
    where: ColumnElement[bool],
    vector: ColumnElement[Any],
    candidates: dict[uuid.UUID, Any],
    *,
    filtered: bool,
) -> dict[uuid.UUID, float]:
    """Asset id -> cosine similarity, most similar first, above MIN_SIMILARITY.

    With a filter, the cheaper of two plans: an exact scan of the matching documents costs about
    their number (s·N for a filter keeping the share s of N), while HNSW with iterative scan walks
    about k/s neighbours to find k that pass. They cross at s·N = sqrt(k·N), so a filter the planner
    expects to keep fewer rows than that (and at least EXACT_SCAN_MIN) gets the exact scan, which is
    also exact. 3k at 100k documents with k = 100, 6k at 1M with k = 40.
    """
    distance = col(SearchDocument.embedding).cosine_distance(vector)  # type: ignore[attr-defined]
    stmt = select(*facets.candidate_columns(), distance.label("distance")).where(
        where, col(SearchDocument.embedding).is_not(None)
    )
    seqscan_back = {"enable_seqscan": "on"}  # full-text search turned it off
    if not filtered:
        statements.set_local(session, seqscan_back | {"hnsw.ef_search": ef_search(_document_count(session))})
        rows = session.execute(stmt.order_by(distance).limit(VECTOR_CANDIDATES)).all()
    else:
        k = FILTERED_VECTOR_CANDIDATES
        matching = facets.estimated_rows(session, select(col(SearchDocument.asset_id)).where(where))
        if matching <= max(EXACT_SCAN_MIN, math.sqrt(k * _document_count(session))):
            statements.set_local(session, seqscan_back)
            # "+ 0" keeps the planner off the HNSW index: rows come from the filter's indexes instead.
            rows = session.execute(stmt.order_by(distance + 0).limit(k)).all()
        else:
            walk = {"hnsw.ef_search": ef_search(_document_count(session), filtered=True)}
            statements.set_local(session, seqscan_back | walk | {"hnsw.iterative_scan": "relaxed_order"})
            rows = session.execute(stmt.order_by(distance).limit(k)).all()
    similar: dict[uuid.UUID, float] = {}
    for row in sorted(rows, key=lambda r: float(r.distance)):  # relaxed order: re-sort
        similarity = 1.0 - float(row.distance)
        if similarity >= MIN_SIMILARITY:
            similar[row.asset_id] = round(similarity, 4)
            candidates.setdefault(row.asset_id, row)
    return similar


_count_cache: tuple[float, float] = (0.0, 0.0)  # (monotonic time, count)


def _document_count(session: Session) -> float:
    """About how many search documents there are: the planner's figure (no scan), refreshed each
    minute, since it only picks between two plans."""
    global _count_cache
    now = time.monotonic()
    if now - _count_cache[0] > 60:
        _count_cache = (now, facets.estimated_rows(session, select(col(SearchDocument.asset_id))))
    return _count_cache[1]


def _has_no_filters(f: AssetFilter) -> bool:
    return f == AssetFilter()
