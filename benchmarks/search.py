"""Search benchmark: latency of the whole search path and recall of its vector part, at scale.

    .venv/bin/python benchmarks/search.py --assets 100000 [--queries 300]

Loads N synthetic assets into throwaway embedded servers (or DAM_DATABASE_URL): realistic
metadata (markets, content types, phases, campaigns, channels, two years of dates) and titles,
descriptions and copy drawn from product and campaign vocabularies in several languages.
Embeddings: the model embeds a few thousand distinct texts; each asset's vector is its own text's
vector plus a share of a related one and a little noise (clustered like a real library, without
embedding N texts for an hour). The document's words are its own text, so full-text search sees
the same meaning. Prints p50/p95/p99 of search_service.search (query parsing, query embedding,
SQL, fusion, cards, facets, highlights) for unfiltered and filtered queries, and recall@20 of the
HNSW part against an exact scan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import embedded_servers
from search_data import (
    CAMPAIGNS,
    CHANNELS,
    COPY,
    MARKETS,
    PHASES,
    PRODUCTS,
    QUERIES_FILTERED,
    QUERIES_UNFILTERED,
    STYLES,
    TYPES,
)


def build_texts(rng: random.Random, count: int) -> list[str]:
    texts = []
    for i in range(count):
        product = PRODUCTS[i % len(PRODUCTS)]
        style = STYLES[(i // len(PRODUCTS)) % len(STYLES)]
        campaign = CAMPAIGNS[rng.randrange(len(CAMPAIGNS))]
        texts.append(f"{product} {style} for {campaign}")
    return texts


def load(args: argparse.Namespace) -> None:
    from pgvector.psycopg import register_vector
    from sqlalchemy import text

    from dam_app.catalog import service as catalog_service
    from dam_app.db import get_engine, session_scope
    from dam_app.search import embeddings
    from dam_app.search.models import INDEXED_EXPRESSION, MIRRORED_ASSET_COLUMNS
    from dam_app.search.text import document_terms
    from dam_app.search.visual import COLOUR_NAMES as COLOURS

    rng = random.Random(7)
    np_rng = np.random.default_rng(7)
    base_texts = build_texts(rng, min(3000, args.assets))
    t0 = time.perf_counter()
    import torch

    embeddings.load()
    torch.set_num_threads(2)  # a batch of thousands, unlike one query, does use both cores
    base = np.array(embeddings.embed(base_texts), dtype=np.float32)
    print(f"embedded {len(base_texts)} distinct texts in {time.perf_counter() - t0:.1f} s")

    with session_scope() as session:
        slugs = [catalog_service.ensure_campaign(session=session, name=f"{c} 2026") for c in CAMPAIGNS]
    now = datetime.now(UTC)
    raw = get_engine().raw_connection()
    conn = raw.driver_connection
    register_vector(conn)
    t0 = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS ix_search_documents_embedding")
        cur.execute("DROP INDEX IF EXISTS ix_search_documents_filtered_lexemes")
        cur.execute("DROP INDEX IF EXISTS ix_search_documents_markets")
        cur.execute("CREATE TEMP TABLE staging (asset_id uuid, content text, terms text, embedding vector(384))")
        chunk = 50_000
        for start in range(0, args.assets, chunk):
            asset_rows, doc_rows = [], []
            for _ in range(start, min(args.assets, start + chunk)):
                j = rng.randrange(len(base_texts))
                k = rng.randrange(len(base_texts))
                markets = sorted(set(rng.sample(MARKETS, rng.choice((1, 1, 1, 2)))))
                ctype = rng.choice(TYPES)
                language = rng.choice(list(COPY))
                title = base_texts[j]
                description = f"{rng.choice(STYLES)} {ctype.replace('_', ' ')} for {', '.join(markets)}"
                content = f"{title}\n{description}\n{COPY[language] if ctype in ('copy', 'banner') else ''}"
                vector = base[j] + 0.35 * base[k] + np_rng.normal(0, 0.02, 384).astype(np.float32)
                vector /= np.linalg.norm(vector)
                created = now - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
                asset_id = uuid.uuid4()
                asset_rows.append(
                    (
                        asset_id,
                        title,
                        description,
                        "video" if ctype == "video" else "image",
                        "ready",
                        markets,
                        ctype,
                        rng.choice(slugs),
                        rng.choice(PHASES),
                        rng.choice(CHANNELS),
                        language,
                        sorted(set(rng.sample(COLOURS, rng.choice((1, 2, 2, 3))))),
                        rng.choice(("landscape", "landscape", "square", "portrait")),
                        created,
                        created,
                    )
                )
                doc_rows.append((asset_id, content, document_terms(content), vector))
            # One COPY at a time: a connection cannot interleave two.
            with cur.copy(
                "COPY assets (id, title, description, media_kind, status, markets, content_type, campaign, "
                "phase, channel, language, colours, orientation, created_at, updated_at) FROM STDIN"
            ) as copy_assets:
                for row in asset_rows:
                    copy_assets.write_row(row)
            with cur.copy("COPY staging (asset_id, content, terms, embedding) FROM STDIN WITH (FORMAT BINARY)") as cp:
                cp.set_types(["uuid", "text", "text", "vector"])
                for row in doc_rows:
                    cp.write_row(row)
        mirrored = ", ".join(MIRRORED_ASSET_COLUMNS)
        from_assets = ", ".join("a." + c for c in MIRRORED_ASSET_COLUMNS)
        cur.execute(
            "INSERT INTO search_documents (asset_id, content, lexemes, embedding, model, content_hash, updated_at, "
            f"{mirrored}) SELECT s.asset_id, s.content, to_tsvector('simple', s.terms), s.embedding, 'synthetic', '', "
            f"now(), {from_assets} FROM staging s JOIN assets a ON a.id = s.asset_id"
        )
        conn.commit()
        print(f"loaded {args.assets} assets in {time.perf_counter() - t0:.1f} s")
        cur.execute("SET maintenance_work_mem = '3GB'")
        t0 = time.perf_counter()
        cur.execute(
            "CREATE INDEX ix_search_documents_embedding ON search_documents USING hnsw "
            "(embedding vector_cosine_ops) WITH (m = 24, ef_construction = 128)"  # as migration 0019
        )
        print(f"HNSW index built in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        cur.execute(
            f"CREATE INDEX ix_search_documents_filtered_lexemes ON search_documents USING gin ({INDEXED_EXPRESSION})"
        )
        cur.execute("CREATE INDEX ix_search_documents_markets ON search_documents USING gin (markets)")
        cur.execute("ANALYZE")
        conn.commit()
        print(f"GIN index + ANALYZE in {time.perf_counter() - t0:.1f} s")
    raw.close()
    with session_scope() as session:
        size = session.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar()
    print(f"database size {size}")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return f"p50 {pct(50):6.1f} ms  p95 {pct(95):6.1f} ms  p99 {pct(99):6.1f} ms  (n={len(ordered)})"


def measure(args: argparse.Namespace) -> None:
    from dam_app.accounts.principal import Principal, system_principal
    from dam_app.db import session_scope
    from dam_app.search import embeddings
    from dam_app.search import service as search_service

    everyone = system_principal()
    eu_viewer = Principal(
        user_id=uuid.uuid4(),
        email="eu@example.com",
        role="viewer",
        permissions=frozenset({"asset.read"}),
        region_codes=frozenset({"EU"}),
        global_markets=frozenset({"GLOBAL"}),
    )
    for query in QUERIES_UNFILTERED[:3]:  # warm caches and the model
        with session_scope() as session:
            search_service.search(session=session, principal=everyone, query=query)
    runs: dict[str, list[float]] = {"unfiltered": [], "filtered": [], "region-scoped (EU viewer)": []}
    for i in range(args.queries):
        for label, principal, pool in (
            ("unfiltered", everyone, QUERIES_UNFILTERED),
            ("filtered", everyone, QUERIES_FILTERED),
            ("region-scoped (EU viewer)", eu_viewer, QUERIES_UNFILTERED),
        ):
            query = pool[i % len(pool)]
            embeddings._query_vector.cache_clear()  # measure the uncached path: every query embedded
            t0 = time.perf_counter()
            with session_scope() as session:
                search_service.search(session=session, principal=principal, query=query, limit=24)
            runs[label].append((time.perf_counter() - t0) * 1000)
    print("search path latency (parse + embed + SQL + fusion + cards + facets + highlights):")
    for label, samples in runs.items():
        print(f"  {label:<28}{percentiles(samples)}")
    embeddings._query_vector.cache_clear()
    t0 = time.perf_counter()
    for query in QUERIES_UNFILTERED:
        embeddings.embed_query(query)
    print(f"  of which query embedding: {(time.perf_counter() - t0) * 1000 / len(QUERIES_UNFILTERED):.1f} ms mean")
    recall(everyone, eu_viewer)


def recall(everyone: object, eu_viewer: object) -> None:
    """Recall@20 of the vector part as the search runs it (search_service._vector: its plan choice,
    beam width, iterative scan and candidate count, re-sorted by distance), against an exact scan."""
    from sqlalchemy import text, true
    from sqlmodel import col

    from dam_app.db import session_scope
    from dam_app.search import embeddings, statements
    from dam_app.search import service as search_service
    from dam_app.search.models import SearchDocument

    def approximate(vector: list[float], where: object, filtered: bool) -> list[str]:
        with session_scope() as session:
            found = search_service._vector(session, where, statements.query_vector(vector), {}, filtered=filtered)  # type: ignore[arg-type]
        return [str(asset_id) for asset_id in list(found)[:20]]

    def exact(vector: list[float], where: str) -> list[str]:
        with session_scope() as session:
            session.execute(text("SET LOCAL enable_indexscan = off"))
            session.execute(text("SET LOCAL enable_bitmapscan = off"))
            rows = session.execute(
                text(
                    "SELECT asset_id FROM search_documents "
                    f"WHERE {where} ORDER BY embedding <=> CAST(:v AS vector) LIMIT 20"
                ),
                {"v": str(vector)},
            ).all()
        return [str(r[0]) for r in rows]

    markets = col(SearchDocument.markets)
    for label, where_sql, where in (
        ("unfiltered", "true", true()),
        (
            "filtered (markets && {EU,GLOBAL})",
            "markets && ARRAY['EU','GLOBAL']::text[]",
            markets.overlap(["EU", "GLOBAL"]),  # type: ignore[attr-defined]
        ),
        ("filtered (content_type = video)", "content_type = 'video'", col(SearchDocument.content_type) == "video"),
    ):
        scores = []
        for query in QUERIES_UNFILTERED:
            vector = embeddings.embed_one(query)
            truth = exact(vector, where_sql)
            found = approximate(vector, where, filtered=where_sql != "true")
            scores.append(len(set(found) & set(truth)) / max(1, len(truth)))
        print(f"recall@20 of the vector part, {label}: {statistics.mean(scores):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--var-dir", type=Path, help="keep the servers' data here and reuse it on the next run")
    parser.add_argument("--load-only", action="store_true", help="load (with --var-dir) and stop; measure later")
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="dam-search-bench-"))
    with embedded_servers(var_dir):
        from sqlalchemy import text

        from dam_app.db import session_scope

        with session_scope() as session:
            existing = session.execute(text("SELECT count(*) FROM search_documents")).scalar_one()
        if existing:
            print(f"reusing {existing} indexed assets in {var_dir}")
        else:
            load(args)
        if not args.load_only:
            measure(args)


if __name__ == "__main__":
    main()
