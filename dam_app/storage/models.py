"""The blob table: which content-addressed bytes the store holds, recorded once per sha256.

It lives with the store rather than with assets because renditions, uploads and any later domain
that stores bytes (exports, share bundles) record blobs the same way.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, Session, SQLModel

from dam_app.fields import timestamp_field


class Blob(SQLModel, table=True):
    """Stored bytes, addressed by their sha256; the same bytes are stored once."""

    __tablename__ = "blobs"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    mime: str = Field(max_length=120, description="Sniffed from content, never from the name")
    created_at: datetime = timestamp_field()


def ensure_blob(session: Session, sha256: str, size: int, mime: str) -> None:
    """Record a stored blob once; concurrent uploads of the same bytes both succeed."""
    session.execute(
        insert(Blob)
        .values(sha256=sha256, size=size, mime=mime, created_at=func.now())
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
