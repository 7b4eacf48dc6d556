"""Search documents: a weight per field, and a change of format re-indexes without re-embedding."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from dam_app.search import documents
from dam_app.search.models import SearchDocument
from tests import factories


def test_fields_carry_their_weights_and_an_old_format_is_rebuilt_keeping_its_embedding(tx: Session) -> None:
    asset = factories.asset(tx, title="Trailhaus oat crisps", description="Baked oats for picnics", tags=["snack"])
    weights = tx.execute(
        text("SELECT lexeme, weights FROM search_documents, unnest(lexemes) WHERE asset_id = :id"), {"id": asset.id}
    ).all()
    by_word = {word: set(w) for word, w in weights}
    assert by_word["trailhaus"] == {"A"} and by_word["snack"] == {"B"} and by_word["picnics"] == {"C"}
    assert by_word["america"] == {"D"}  # the market's name (NA) is "other text"
    assert documents.asset_ids_needing_index(session=tx) == []

    # Documents built before weights read format 0 (migration 0015): reindex picks them up.
    tx.execute(text("UPDATE search_documents SET document_format = 0, lexemes = to_tsvector('simple', content)"))
    assert documents.asset_ids_needing_index(session=tx) == [asset.id]
    before = tx.get(SearchDocument, asset.id)
    assert before is not None
    kept = list(before.embedding or [])
    tx.expire_all()
    assert documents.index_asset(session=tx, asset_id=asset.id)
    tx.expire_all()  # the upsert is a statement: the identity map still holds the old row
    after = tx.get(SearchDocument, asset.id)
    assert after is not None and after.document_format == documents.DOCUMENT_FORMAT
    assert list(after.embedding or []) == kept
    assert documents.asset_ids_needing_index(session=tx) == []
    assert not documents.index_asset(session=tx, asset_id=asset.id)  # unchanged: nothing written


def test_long_texts_are_cut_into_passages_led_by_the_title() -> None:
    from dam_app.search import passages

    assert passages.split("T", ["Weighs 6.9 kg. Two! Three? Four."]) == [
        "T. Weighs 6.9 kg. Two! Three?",
        "T. Three? Four.",
    ]
    assert passages.split("T", ["一句。二句！三句？"]) == ["T. 一句。 二句！ 三句？"]  # noqa: RUF001
    assert passages.split("T", ["Only. Two sentences."]) == []  # the document's own embedding is enough
    assert len(passages.split("T", ["Again. " * 100])) == passages.MAX_PASSAGES


def test_a_need_stated_in_one_sentence_is_found_by_its_passage(tx: Session) -> None:
    from dam_app.search import embeddings, passages, statements

    description = (
        "Baked from whole rolled oats with sea salt and rosemary. Each pouch holds six packs. "
        "They are shelf-stable for nine months and need no refrigeration, even in a warm car. "
        "Vegan and made in a nut-free bakery."
    )
    crisps = factories.asset(tx, title="Trailhaus oat crisps", description=description, tags=["snack", "vegan"])
    other = factories.asset(tx, title="Bellamere cheesecake", description="Creamy. Chilled.")
    stored = passages.stored_count(tx, crisps.id)
    assert stored == 2 and passages.stored_count(tx, other.id) == 0
    need = embeddings.embed_query("a snack that keeps without a fridge")
    best = passages.best_similarity(tx, [crisps.id, other.id], statements.query_vector(need))
    document = tx.get(SearchDocument, crisps.id)
    assert document is not None and set(best) == {crisps.id}
    whole = sum(a * b for a, b in zip(document.embedding or [], need, strict=True))
    assert best[crisps.id] > whole  # the sentence about the fridge, without the rest around it
    tx.execute(text("UPDATE search_documents SET document_format = 1"))  # a re-index keeps them
    tx.expire_all()
    assert documents.index_asset(session=tx, asset_id=crisps.id) and passages.stored_count(tx, crisps.id) == stored


def test_word_rarity_comes_from_the_planners_statistics_and_not_from_a_truncated_table(db) -> None:
    from dam_app.db import session_scope
    from dam_app.search import ranking

    with session_scope() as session:
        for i in range(40):
            factories.asset(session, title=f"Oat crisps {i}" if i < 39 else "Rosemary rarity")
    with session_scope() as session:
        session.execute(text("ANALYZE search_documents"))
    with session_scope() as session:
        ranking.forget_stats()
        stats = ranking.term_stats(session)
        assert stats.share("crisps") == pytest.approx(39 / 40, abs=0.01) and stats.share("rarity") <= 1 / 40
        assert stats.idf("rarity") > stats.idf("crisps") > 0
        assert stats.informative(["crisps", "rarity"]) == ["rarity"]  # a common word picks no candidates
        assert stats.informative(["crisps"]) == ["crisps"]  # unless every word is common
        session.execute(text("TRUNCATE search_documents CASCADE"))
        ranking.forget_stats()
        assert ranking.term_stats(session) == ranking.TermStats()  # old statistics of gone rows: unused
