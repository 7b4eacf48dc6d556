"""Search documents: a weight per field, and a change of format re-indexes without re-embedding."""

from __future__ import annotations

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

    # Migration 0015 empties the hashes of documents built before weights: reindex picks them up.
    tx.execute(text("UPDATE search_documents SET content_hash = '', lexemes = to_tsvector('simple', content)"))
    assert documents.asset_ids_needing_index(session=tx) == [asset.id]
    before = tx.get(SearchDocument, asset.id)
    assert before is not None
    kept = list(before.embedding or [])
    tx.expire_all()
    assert documents.index_asset(session=tx, asset_id=asset.id)
    tx.expire_all()  # the upsert is a statement: the identity map still holds the old row
    after = tx.get(SearchDocument, asset.id)
    assert after is not None and after.content_hash and list(after.embedding or []) == kept
    assert documents.asset_ids_needing_index(session=tx) == []
    assert not documents.index_asset(session=tx, asset_id=asset.id)  # unchanged: nothing written
