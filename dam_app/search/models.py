"""Search tables: one document per asset (words, text embedding, and a copy of the asset's filter
columns), the visual signature of its pixels, and the near-duplicate pairs found from them.

The filter columns are copied from `assets` (by the indexer, and by a trigger on every asset update,
see migration 0003) so that full-text and vector search read one table: joining `assets` for every
candidate cost more than the search itself.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import CheckConstraint, Column, Index, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from dam_app.fields import counter_field, flag_field, text_array_field, timestamp_field

EMBEDDING_DIM = 384
# What full-text search matches: the words plus one token per filter value of the row.
INDEXED_EXPRESSION = (
    "(lexemes || search_filter_tokens(markets, content_type, phase, channel, media_kind, status, created_by))"
)
VISUAL_DIM = 280

# Columns of `assets` mirrored in `search_documents` (same names, same meaning).
MIRRORED_ASSET_COLUMNS = (
    "markets",
    "content_type",
    "campaign",
    "phase",
    "channel",
    "media_kind",
    "status",
    "language",
    "colours",
    "orientation",
    "created_by",
    "created_at",
    "tag_names",
    "has_person",
    "approval_states",
    "use_count",
    "usable_in",
)


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_documents"
    __table_args__ = (
        # The words together with the row's filter tokens (migration 0007, search/tokens.py).
        Index("ix_search_documents_filtered_lexemes", text(INDEXED_EXPRESSION), postgresql_using="gin"),
        Index(
            "ix_search_documents_embedding",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 24, "ef_construction": 128},  # recall at 1M: migrations 0006 and 0019
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
        Index("ix_search_documents_markets", "markets", postgresql_using="gin"),
        Index("ix_search_documents_colours", "colours", postgresql_using="gin"),
        Index("ix_search_documents_tag_names", "tag_names", postgresql_using="gin"),
        Index("ix_search_documents_usable_in", "usable_in", postgresql_using="gin"),
        Index("ix_search_documents_content_type", "content_type"),
        Index("ix_search_documents_created_at", "created_at"),
    )

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    content: str = Field(description="The text that was indexed, for highlights")
    lexemes: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIM), nullable=True))
    model: str = Field(default="", max_length=80)
    content_hash: str = Field(default="", max_length=64)
    document_format: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="How the document was built (search/documents.py DOCUMENT_FORMAT); older ones are re-indexed",
    )
    updated_at: datetime = timestamp_field()
    # Mirrors of the asset's columns (MIRRORED_ASSET_COLUMNS).
    markets: list[str] = text_array_field()
    content_type: str | None = Field(default=None, max_length=40)
    campaign: str | None = Field(default=None, max_length=120)
    phase: str | None = Field(default=None, max_length=40)
    channel: str | None = Field(default=None, max_length=40)
    media_kind: str = Field(default="other", max_length=16)
    status: str = Field(default="processing", max_length=16)
    language: str | None = Field(default=None, max_length=16)
    colours: list[str] = text_array_field()
    orientation: str | None = Field(default=None, max_length=16)
    created_by: uuid.UUID | None = Field(default=None)
    created_at: datetime = timestamp_field()
    tag_names: list[str] = text_array_field()
    has_person: bool = flag_field()
    approval_states: list[str] = text_array_field(default=("unreviewed",))
    use_count: int = counter_field()
    usable_in: list[str] = text_array_field()


class SearchPassage(SQLModel, table=True):
    """A few sentences of a long description or copy with the title, embedded on their own: the
    model reads a need ("keeps without a fridge") better in three sentences than in a whole page.
    Read only for a search's candidates (by asset), so it needs no vector index."""

    __tablename__ = "search_passages"

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    ordinal: int = Field(primary_key=True)
    embedding: list[float] = Field(sa_column=Column(Vector(EMBEDDING_DIM), nullable=False))


class VisualSignature(SQLModel, table=True):
    """What an image (or a video's poster frame) looks like, computed from its pixels."""

    __tablename__ = "visual_signatures"
    __table_args__ = (
        Index(
            "ix_visual_signatures_vector",
            "vector",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"vector": "vector_cosine_ops"},
        ),
    )

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", ondelete="CASCADE")
    vector: list[float] = Field(sa_column=Column(Vector(VISUAL_DIM), nullable=False))
    phash: str = Field(max_length=16, description="64-bit DCT perceptual hash, hex")
    dhash: str = Field(max_length=16, description="64-bit gradient hash, hex")
    descriptor: str = Field(max_length=40, description="Which descriptor made the vector")
    updated_at: datetime = timestamp_field()


class ClipEmbedding(SQLModel, table=True):
    """A picture in the optional CLIP model's space (any length: the model decides)."""

    __tablename__ = "clip_embeddings"

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    model: str = Field(max_length=200, index=True)
    embedding: list[float] = Field(sa_column=Column(Vector(), nullable=False))
    updated_at: datetime = timestamp_field()


class NearDuplicate(SQLModel, table=True):
    """Two assets whose pixels are the same picture (resized, recompressed, slightly cropped)."""

    __tablename__ = "near_duplicates"
    __table_args__ = (
        CheckConstraint("asset_id < duplicate_id", name="ck_near_duplicates_order"),
        Index("ix_near_duplicates_duplicate_id", "duplicate_id"),
    )

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    duplicate_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    phash_distance: int = Field(description="Differing bits of the two perceptual hashes (of 64)")
    similarity: float = Field(description="Cosine similarity of the visual vectors")
    found_at: datetime = timestamp_field()
