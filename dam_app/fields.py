"""Column helpers shared by every domain's tables (aware timestamps, arrays, JSON) and read models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field
from sqlmodel._compat import SQLModelConfig  # the type SQLModel declares model_config with

from dam_app.errors import Invalid

# For `*Read` models built with `model_validate(row)`: from attributes, and every field required in
# the response schema (a field's default says nothing about what a reader receives).
READ_CONFIG = SQLModelConfig(from_attributes=True, json_schema_serialization_defaults_required=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_field(
    *, nullable: bool = False, index: bool = False, default_now: bool = True, title: str | None = None
) -> Any:
    """A timezone-aware timestamp column, defaulting to now when asked (else to None, so a model
    that is not a table, sharing the declaration, does not require it)."""
    column = Column(
        DateTime(timezone=True),
        nullable=nullable,
        index=index,
        server_default=func.now() if default_now else None,
    )
    if default_now:
        return Field(default_factory=utcnow, sa_column=column, title=title)
    return Field(default=None, sa_column=column, title=title)


def text_array_field(*, default: tuple[str, ...] = ()) -> Any:
    """A PostgreSQL text[] column (market codes, aliases), empty unless `default` names values."""
    return Field(
        default_factory=lambda: list(default),
        sa_column=Column(ARRAY(Text), nullable=False, server_default=text("'{" + ",".join(default) + "}'")),
    )


def flag_field() -> Any:
    """A boolean that is false unless set, in the database as well as in Python."""
    return Field(default=False, sa_column_kwargs={"server_default": text("false")})


def counter_field() -> Any:
    """An integer count starting at zero, in the database as well as in Python."""
    return Field(default=0, sa_column_kwargs={"server_default": text("0")})


def json_field() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'")))


def json_list_field() -> Any:
    """A JSONB array column, empty unless set."""
    return Field(default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'")))


def storable(value: str) -> str:
    """PostgreSQL text holds no NUL character and only valid UTF-8 (no unpaired surrogate)."""
    if "\x00" in value:
        raise ValueError("text cannot contain NUL (0x00) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid unicode (an unpaired surrogate was sent)") from None
    return value


def day_or_none(text: str, what: str) -> datetime | None:
    """A date typed in a form or at the prompt (YYYY-MM-DD, or an ISO moment); None when empty."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise Invalid(f"the {what} date '{text}' is not YYYY-MM-DD") from exc
