"""Ranking on real-style product copy: the product's search beats plain BM25 and plain dense
retrieval on every figure (tests/search/relevance/catalogue.py builds the set; benchmarks/relevance.py
prints the same figures)."""

from __future__ import annotations

from pathlib import Path

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from tests.search.relevance import catalogue


def test_hybrid_search_beats_its_ingredients_on_a_catalogue(admin: Principal, tmp_path: Path) -> None:
    assert len([p for p in catalogue.PRODUCTS if p["role"] == "target"]) >= 60 and len(catalogue.QUERIES) >= 80
    with session_scope() as session:
        ids = catalogue.load(session, tmp_path / "catalogue", others=1000)
        assert len(ids) == len(catalogue.PRODUCTS)  # every file's title was read from its metadata
        bm25, _ = catalogue.score(catalogue.bm25_ranker(session, ids))
        dense, _ = catalogue.score(catalogue.dense_ranker(session, ids))
        product, firsts = catalogue.score(catalogue.product_ranker(session, admin, ids))
    print(f"\nBM25 alone:  {bm25}\ndense alone: {dense}\nproduct:     {product}")
    assert product.beats(bm25) and product.beats(dense), (product, bm25, dense)
    # Measured 0.863 / 0.725 / 0.751 (BM25 0.770 / 0.594 / 0.631, dense 0.648 / 0.510 / 0.540);
    # 13 of the 100 queries have no answer in the first ten.
    assert product.recall >= 0.84 and product.mrr >= 0.70 and product.ndcg >= 0.73, firsts
    assert sum(first is None for _, first in firsts) <= 14, [q for q, first in firsts if first is None]


def test_products_are_read_from_their_iptc_and_xmp(tmp_path: Path) -> None:
    from dam_app.assets.metadata import interpret, read_embedded

    files = catalogue.write_files(tmp_path)
    for product in (catalogue.PRODUCTS[0], next(p for p in catalogue.PRODUCTS if p["language"] == "ja")):
        facts = interpret(read_embedded(files[product["id"]]))
        assert (facts.title, facts.description) == (product["title"], product["description"])
        assert facts.keywords == product["keywords"]
