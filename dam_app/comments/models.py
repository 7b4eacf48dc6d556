"""Comment tables: threads anchored to a spot of a version (a region or point of the picture, a time
of the video, a phrase of the copy, or the whole version), their edit history and mentions, and where
each open thread's pin stands on later versions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from dam_app.fields import flag_field, timestamp_field

INTERNAL_PERMISSION = "comment.internal"  # who may read and write internal comments (not external reviewers)


class Placement(StrEnum):
    """Where a pin stands on a later version."""

    UNTOUCHED = "untouched"  # found, and the spot did not change: "untouched — still open"
    CHANGED = "changed"  # found, and the spot changed: "changed here — please verify"
    UNPLACED = "unplaced"  # could not be placed with confidence: flagged, never dropped
    PLACED = "placed"  # a person put it where it belongs: the pins stage leaves it there


PLACEMENT_LABELS = {
    Placement.UNTOUCHED: "untouched — still open",
    Placement.CHANGED: "changed here — please verify",
    Placement.UNPLACED: "could not be placed with confidence — check where it belongs",
    Placement.PLACED: "placed by hand",
}


def _comment_fk(*, index: bool = False) -> Any:
    return Column(BigInteger, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False, index=index)


class Comment(SQLModel, table=True):
    """A thread's first comment (parent_id None, with the anchor) or a reply to it."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_asset_thread", "asset_id", "parent_id", "id"),
        Index("ix_comments_parent_id", "parent_id"),
        CheckConstraint("char_length(body) BETWEEN 1 AND 5000", name="ck_comments_body"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    asset_id: uuid.UUID = Field(foreign_key="assets.id", ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    parent_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("comments.id", ondelete="CASCADE"), nullable=True)
    )
    author_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    body: str = Field(sa_column=Column(Text, nullable=False))
    internal: bool = flag_field()  # never shown to people without comment.internal (external reviewers)
    anchor: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    resolved: bool = flag_field()
    resolved_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    resolved_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    created_at: datetime = timestamp_field()
    edited_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class CommentEdit(SQLModel, table=True):
    """What a comment said before each edit."""

    __tablename__ = "comment_edits"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    comment_id: int = Field(sa_column=_comment_fk(index=True))
    body: str = Field(sa_column=Column(Text, nullable=False))
    edited_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    edited_at: datetime = timestamp_field()


class CommentMention(SQLModel, table=True):
    """A person named in a comment: their inbox on the Review page."""

    __tablename__ = "comment_mentions"
    __table_args__ = (
        UniqueConstraint("comment_id", "user_id", name="uq_comment_mentions"),
        Index("ix_comment_mentions_inbox", "user_id", "seen_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    comment_id: int = Field(sa_column=_comment_fk())
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    seen_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class CommentPlacement(SQLModel, table=True):
    """Where a thread's pin stands on a later version, and whether the spot changed there."""

    __tablename__ = "comment_placements"
    __table_args__ = (
        UniqueConstraint("comment_id", "version_id", name="uq_comment_placements"),
        CheckConstraint("state IN ('untouched','changed','unplaced','placed')", name="ck_comment_placements_state"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    comment_id: int = Field(sa_column=_comment_fk())
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    anchor: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    state: str = Field(max_length=16)
    placed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    note: str = ""  # how it was placed ("aligned by features, 0.93"; "quote found 2 words later")
    placed_at: datetime = timestamp_field()
