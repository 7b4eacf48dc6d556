"""Relevance benchmark: recall@10, MRR and nDCG@10 of plain BM25, plain dense and the product's search
on a catalogue-style set (tests/search/relevance/: 64 products with shop descriptions in English,
German, Japanese and Chinese delivered as JPEGs with IPTC/XMP, 40 near misses, 100 need-style
queries with graded answers) inside a library of other marketing assets.

    .venv/bin/python benchmarks/relevance.py [--others 1000] [--var-dir /tmp/relevance]

Prints the three rows, the figures per query language, and the queries the product ranks worst.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import embedded_servers


def measure(others: int, folder: Path) -> None:
    from sqlalchemy import text

    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from tests.search.relevance import catalogue

    with session_scope() as session:
        count = session.execute(text("SELECT count(*) FROM search_documents")).scalar_one()
        started = time.perf_counter()
        if count:
            ids = catalogue.reload_ids(session)
            print(f"reusing {count} indexed assets")
        else:
            ids = catalogue.load(session, folder, others=others)
            print(f"loaded {len(ids)} products and {others} other assets in {time.perf_counter() - started:.0f} s")
        rankers = {
            "BM25 alone": catalogue.bm25_ranker(session, ids),
            "dense alone": catalogue.dense_ranker(session, ids),
            "product": catalogue.product_ranker(session, system_principal(), ids),
        }
        print(f"{len(catalogue.QUERIES)} queries, {len(ids)} products")
        for name, rank in rankers.items():
            started = time.perf_counter()
            scores, firsts = catalogue.score(rank)
            per_query = (time.perf_counter() - started) / len(catalogue.QUERIES) * 1000
            print(f"  {name:<12} {scores}   ({per_query:.1f} ms a query)")
        for language in ("en", "de", "ja", "zh"):
            subset = [q for q in catalogue.QUERIES if q["language"] == language]
            row = "  ".join(f"{n} {catalogue.score(r, subset)[0]}" for n, r in rankers.items())
            print(f"  [{language}, {len(subset)} queries] {row}")
        _, firsts = catalogue.score(rankers["product"])
        worst = sorted(firsts, key=lambda pair: pair[1] or 99, reverse=True)[:10]
        print("weakest for the product (rank of the first answer):")
        for query, first in worst:
            print(f"  {first or '-':>3}  {query}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--others", type=int, default=1000, help="other assets around the products")
    parser.add_argument("--var-dir", type=Path, help="keep the servers' data here and reuse it on the next run")
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="dam-relevance-"))
    with embedded_servers(var_dir):
        measure(args.others, var_dir / "catalogue")


if __name__ == "__main__":
    main()
