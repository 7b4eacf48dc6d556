"""One search document per asset: its words (tsvector with CJK bigrams) and its text embedding."""

from __future__ import annotations

import uuid
from datetime import datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from dam_app.fields import timestamp_field

EMBEDDING_DIM = 384


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_lexemes", "lexemes", postgresql_using="gin"),
        Index(
            "ix_search_documents_embedding",
            "embedding",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
    )

    asset_id: uuid.UUID = Field(primary_key=True, foreign_key="assets.id", ondelete="CASCADE")
    content: str = Field(description="The text that was indexed, for highlights")
    lexemes: str = Field(sa_column=Column(TSVECTOR, nullable=False))
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIM), nullable=True))
    model: str = Field(default="", max_length=80)
    content_hash: str = Field(default="", max_length=64)
    updated_at: datetime = timestamp_field()
