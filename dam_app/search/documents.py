"""Build and store an asset's search document: the words people search by, and their embedding."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import func, literal, literal_column, or_
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, Version
from dam_app.catalog import service as catalog_service
from dam_app.catalog.models import Campaign, Channel, ContentType, Market, Phase
from dam_app.search import embeddings, passages
from dam_app.search.models import EMBEDDING_DIM, MIRRORED_ASSET_COLUMNS, SearchDocument
from dam_app.search.text import document_terms
from dam_app.tagging import image_text
from dam_app.tagging import service as tagging_service

COPY_CHARS = 2000


# Words in the title weigh most, then keywords, then the description and a copy document's body,
# then everything else (names of its markets and type, file name, text read from the picture). The
# letters are PostgreSQL's tsvector weights; search.ranking says what each is worth.
TITLE, KEYWORDS, DESCRIPTION, OTHER = "A", "B", "C", "D"
# How documents are built: 1 weighted fields, 2 passages. An older document is re-indexed by
# `dam reindex` (migration 0015).
DOCUMENT_FORMAT = 2


def document_fields(*, session: Session, asset: Asset) -> list[tuple[str, str]]:
    """(weight, text) per field: title, description, tags, classification names, file name words,
    the copy and the text read from the picture, in that order."""
    version = session.get(Version, asset.current_version_id) if asset.current_version_id else None
    lexicon = catalog_service.cached_lexicon(session=session)
    names = [lexicon.label(Market, code) for code in asset.markets]
    names += [
        lexicon.label(table, key)
        for table, key in ((ContentType, asset.content_type), (Phase, asset.phase), (Channel, asset.channel))
        if key
    ]
    if asset.campaign and (campaign := session.get(Campaign, asset.campaign)) is not None:
        names.append(campaign.name)
    tags = [t.name for t in tagging_service.tags_for(session=session, asset_id=asset.id)]
    fields = [
        (TITLE, asset.title),
        (DESCRIPTION, asset.description),
        (KEYWORDS, " ".join(tags)),
        (OTHER, " ".join(names)),
    ]
    if version is not None:
        fields.append((OTHER, version.original_filename.rsplit(".", 1)[0].replace("_", " ").replace("-", " ")))
        fields.append((DESCRIPTION, version.extracted_text[:COPY_CHARS]))
        fields.append((OTHER, image_text.searchable_text(session=session, version_id=version.id)[:COPY_CHARS]))
    return [(weight, text) for weight, text in fields if text and text.strip()]


def document_text(*, session: Session, asset: Asset) -> str:
    """The fields' text, one per line: what is embedded and what highlights are cut from."""
    return "\n".join(text for _, text in document_fields(session=session, asset=asset))


def weighted_lexemes(fields: list[tuple[str, str]]) -> Any:
    """The fields as one tsvector, each field's words carrying its weight."""
    parts = [
        func.setweight(func.to_tsvector("simple", document_terms(text)), literal_column(f"'{weight}'::\"char\""))
        for weight, text in fields
        if weight in (TITLE, KEYWORDS, DESCRIPTION, OTHER)
    ]
    if not parts:
        return func.to_tsvector("simple", "")
    combined: Any = parts[0]
    for part in parts[1:]:
        combined = combined.op("||")(part)
    return combined


def index_asset(*, session: Session, asset_id: uuid.UUID, force: bool = False) -> bool:
    """Upsert the asset's document; the embedding is computed again only when the text changed.
    True if written."""
    asset = session.get(Asset, asset_id)
    if asset is None:
        return False
    fields = document_fields(session=session, asset=asset)
    text = "\n".join(text for _, text in fields)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = session.get(SearchDocument, asset_id)
    current = existing is not None and existing.document_format == DOCUMENT_FORMAT
    if current and existing and existing.content_hash == digest and existing.embedding is not None and not force:
        return False
    kept = existing.embedding if existing is not None and existing.content == text and not force else None
    long_texts = [body for weight, body in fields if weight == DESCRIPTION]
    pieces = passages.split(asset.title, long_texts)
    if kept is not None and len(pieces) == passages.stored_count(session, asset_id):
        vector = list(kept)  # same text, same passages: only the words are rewritten
    else:
        vectors = embeddings.embed([text, *pieces]) if kept is None else [list(kept), *embeddings.embed(pieces)]
        vector = vectors[0]
        passages.replace(session, asset_id, vectors[1:])
    own = {
        "asset_id": literal(asset_id),
        "content": literal(text),
        "lexemes": weighted_lexemes(fields),
        "embedding": literal(vector, type_=Vector(EMBEDDING_DIM)),
        "model": literal(embeddings.MODEL_NAME),
        "content_hash": literal(digest),
        "document_format": literal(DOCUMENT_FORMAT),
        "updated_at": func.now(),
    }
    # The mirrored columns are read from `assets` inside the same statement, so a concurrent asset
    # update either lands before it or reaches this row through the mirroring trigger after it.
    mirrored = {name: getattr(Asset, name) for name in MIRRORED_ASSET_COLUMNS}
    columns = {**own, **mirrored}
    stmt = insert(SearchDocument).from_select(
        list(columns), sa_select(*columns.values()).where(col(Asset.id) == asset_id)
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["asset_id"], set_={name: stmt.excluded[name] for name in columns if name != "asset_id"}
        )
    )
    return True


def asset_ids_needing_index(*, session: Session, after: uuid.UUID | None = None, batch: int = 500) -> list[uuid.UUID]:
    """Assets with no document yet, or one built before the current DOCUMENT_FORMAT, in id order
    after `after` (for `dam reindex`)."""
    stmt = (
        select(Asset.id)
        .outerjoin(SearchDocument, col(SearchDocument.asset_id) == col(Asset.id))
        .where(or_(col(SearchDocument.asset_id).is_(None), col(SearchDocument.document_format) < DOCUMENT_FORMAT))
        .order_by(col(Asset.id))
        .limit(batch)
    )
    if after is not None:
        stmt = stmt.where(col(Asset.id) > after)
    return list(session.exec(stmt))
