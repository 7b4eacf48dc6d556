"""A campaign's board, its phase columns (date range, WIP limits), its cards and each card's history.

A card's place is (phase, status, position): `position` is a fractional index key (compared byte by
byte, hence the "C" collation), so a move writes one row; `revision` grows with every change and a
move names the revision it saw, so two people moving one card at once cannot silently overwrite."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, Identity, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import json_field, text_array_field, timestamp_field

MAX_BRIEF = 10_000


class CardStatus(StrEnum):
    REQUESTED = "requested"
    IN_PRODUCTION = "in_production"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    LIVE = "live"


# Changes to a card that leave its revision as it was (each writes rows of its own, never the card's).
UNREVISED_CHANGES = ("attached", "detached", "checklist", "commented", "deleted")


class Board(SQLModel, table=True):
    __tablename__ = "boards"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign: str = Field(foreign_key="campaigns.slug", unique=True, ondelete="CASCADE")
    event_date: date | None = None
    time_zone: str = Field(default="UTC", max_length=64)
    markets: list[str] = text_array_field()
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()


class BoardColumn(SQLModel, table=True):
    """One phase of the board: its dates and its limits (soft: shown amber; hard: moves refused)."""

    __tablename__ = "board_columns"
    __table_args__ = (UniqueConstraint("board_id", "phase", name="uq_board_columns_phase"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    board_id: uuid.UUID = Field(foreign_key="boards.id", index=True, ondelete="CASCADE")
    phase: str = Field(foreign_key="phases.code", max_length=32)
    starts_on: date | None = None
    ends_on: date | None = None
    soft_limit: int | None = None
    hard_limit: int | None = None


class StatusLimit(SQLModel, table=True):
    """A WIP limit on one status across the board's phases (the status view's columns): "no more than
    8 requests in review at once"; soft shows amber, hard refuses a move or a new card into it."""

    __tablename__ = "board_status_limits"

    board_id: uuid.UUID = Field(foreign_key="boards.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(primary_key=True, max_length=16)
    soft_limit: int | None = None
    hard_limit: int | None = None


class Card(SQLModel, table=True):
    """An asset request on a board."""

    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_place", "board_id", "phase", "status", "position"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    board_id: uuid.UUID = Field(foreign_key="boards.id", ondelete="CASCADE")
    phase: str = Field(foreign_key="phases.code", max_length=32)
    status: str = Field(default=CardStatus.REQUESTED, max_length=16)
    position: str = Field(sa_column=Column(String(200, collation="C"), nullable=False))
    revision: int = 1
    title: str = Field(max_length=300)
    brief: str = Field(default="", max_length=MAX_BRIEF)
    markets: list[str] = text_array_field()
    channels: list[str] = text_array_field()
    formats: list[str] = text_array_field()
    languages: list[str] = text_array_field()
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    due_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    updated_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: datetime = timestamp_field()


class CardEvent(SQLModel, table=True):
    """The card's history: every creation, move and edit, who and when (also in the audit log)."""

    __tablename__ = "card_events"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    card_id: uuid.UUID = Field(foreign_key="cards.id", index=True, ondelete="CASCADE")
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    action: str = Field(max_length=32)
    details: dict[str, Any] = json_field()
    at: datetime = timestamp_field()


# What every new request is checked against before it goes live (the seed's checklist).
CHECKLIST_SEED = ("collection", "translation", "localization", "version control", "compliance check", "tracking")


class ChecklistItem(SQLModel, table=True):
    """One step of a card's checklist, with the person accountable for it and its own due time;
    ticking it writes this row only, so people working through one card never collide."""

    __tablename__ = "card_checklist_items"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    card_id: uuid.UUID = Field(foreign_key="cards.id", index=True, ondelete="CASCADE")
    position: int
    label: str = Field(max_length=120)
    accountable_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    due_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    done_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    done_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class CardAsset(SQLModel, table=True):
    """An asset attached to a card; `reused` when the asset existed before the card asked for it
    (the request was fulfilled from the library rather than produced anew)."""

    __tablename__ = "card_assets"

    card_id: uuid.UUID = Field(foreign_key="cards.id", primary_key=True, ondelete="CASCADE")
    asset_id: uuid.UUID = Field(foreign_key="assets.id", primary_key=True, index=True, ondelete="CASCADE")
    reused: bool = False
    attached_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    attached_at: datetime = timestamp_field()


class CardComment(SQLModel, table=True):
    """What people say about a request; an @mention reaches the person through their alerts."""

    __tablename__ = "card_comments"
    __table_args__ = (CheckConstraint("char_length(body) BETWEEN 1 AND 5000", name="ck_card_comments_body"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    card_id: uuid.UUID = Field(foreign_key="cards.id", index=True, ondelete="CASCADE")
    author_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = timestamp_field()
