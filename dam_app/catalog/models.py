"""Markets, content types, campaigns, phases and channels are rows, not enums in code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import text_array_field, timestamp_field


class Market(SQLModel, table=True):
    """A sales market or region a team works for (NA, EU, SEA, LATAM, JP, CN, ...)."""

    __tablename__ = "markets"
    __table_args__ = (
        CheckConstraint(
            "review_stages <@ ARRAY['legal','brand','market']::text[] AND cardinality(review_stages) > 0",
            name="ck_markets_review_stages",
        ),
    )

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=80)
    languages: list[str] = text_array_field()
    currencies: list[str] = text_array_field()
    aliases: list[str] = text_array_field()
    is_global: bool = Field(default=False, description="Assets in a global market are visible everywhere")
    review_stages: list[str] = text_array_field(default=("legal",))  # decided before use there (migration 0018)


class ContentType(SQLModel, table=True):
    __tablename__ = "content_types"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=80)
    aliases: list[str] = text_array_field()


class Phase(SQLModel, table=True):
    """A campaign phase (warm-up, peak, encore); position orders kanban columns."""

    __tablename__ = "phases"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=80)
    position: int = 0
    aliases: list[str] = text_array_field()


class Channel(SQLModel, table=True):
    __tablename__ = "channels"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=80)
    aliases: list[str] = text_array_field()


class Campaign(SQLModel, table=True):
    """A festival campaign (Double Eleven, Black Friday); created on first use by import or upload."""

    __tablename__ = "campaigns"

    slug: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=160)
    description: str = ""
    starts_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    ends_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    created_at: datetime = timestamp_field()
