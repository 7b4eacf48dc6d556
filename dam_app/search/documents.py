"""Build and store an asset's search document: the words people search by, and their embedding."""

from __future__ import annotations

import hashlib
import uuid

from pgvector.sqlalchemy import Vector
from sqlalchemy import func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, Version
from dam_app.catalog import service as catalog_service
from dam_app.catalog.models import Campaign, Channel, ContentType, Market, Phase
from dam_app.search import embeddings
from dam_app.search.models import EMBEDDING_DIM, MIRRORED_ASSET_COLUMNS, SearchDocument
from dam_app.search.text import document_terms
from dam_app.tagging import image_text
from dam_app.tagging import service as tagging_service

COPY_CHARS = 2000


def document_text(*, session: Session, asset: Asset) -> str:
    """Title, description, tags, classification names, file name words, the copy and the text read
    from the picture, in that order."""
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
    parts = [asset.title, asset.description, " ".join(tags), " ".join(names)]
    if version is not None:
        parts.append(version.original_filename.rsplit(".", 1)[0].replace("_", " ").replace("-", " "))
        parts.append(version.extracted_text[:COPY_CHARS])
        parts.append(image_text.searchable_text(session=session, version_id=version.id)[:COPY_CHARS])
    return "\n".join(p for p in parts if p and p.strip())


def index_asset(*, session: Session, asset_id: uuid.UUID, force: bool = False) -> bool:
    """Upsert the asset's document; skip the embedding when the text has not changed. True if written."""
    asset = session.get(Asset, asset_id)
    if asset is None:
        return False
    text = document_text(session=session, asset=asset)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = session.get(SearchDocument, asset_id)
    if existing is not None and existing.content_hash == digest and existing.embedding is not None and not force:
        return False
    vector = embeddings.embed_one(text)
    own = {
        "asset_id": literal(asset_id),
        "content": literal(text),
        "lexemes": func.to_tsvector("simple", document_terms(text)),
        "embedding": literal(vector, type_=Vector(EMBEDDING_DIM)),
        "model": literal(embeddings.MODEL_NAME),
        "content_hash": literal(digest),
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
    """Assets with no document yet, in id order after `after` (for `dam reindex`)."""
    stmt = (
        select(Asset.id)
        .outerjoin(SearchDocument, col(SearchDocument.asset_id) == col(Asset.id))
        .where(col(SearchDocument.asset_id).is_(None))
        .order_by(col(Asset.id))
        .limit(batch)
    )
    if after is not None:
        stmt = stmt.where(col(Asset.id) > after)
    return list(session.exec(stmt))
