"""The verdict table and the read models of rights records and verdicts."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError, field_validator
from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from dam_app.errors import Invalid
from dam_app.fields import READ_CONFIG, json_list_field, storable, timestamp_field


class Verdict(StrEnum):
    USABLE = "usable"
    CONDITIONS = "conditions"  # usable, if the conditions named are kept
    BLOCKED = "blocked"


VERDICT_LABELS = {Verdict.USABLE: "Usable", Verdict.CONDITIONS: "Usable with conditions", Verdict.BLOCKED: "Blocked"}


class Usage(StrEnum):
    WEB = "web"
    SOCIAL = "social"
    PRINT = "print"
    TV = "tv"
    OOH = "ooh"  # out of home: billboards, transit, in-store


class Music(StrEnum):
    UNKNOWN = ""
    LICENSED = "licensed"
    NO_MUSIC = "no_music"  # the sound is voice or effects only


class MarketVerdict(SQLModel, table=True):
    """A version's verdict in one market, the reasons for it, and when it next changes by the
    calendar alone (a licence starting, ending, or entering its last 14 days)."""

    __tablename__ = "market_verdicts"
    __table_args__ = (
        CheckConstraint("verdict IN ('usable','conditions','blocked')", name="ck_market_verdicts_verdict"),
        Index("ix_market_verdicts_valid_until", "valid_until", postgresql_where=text("valid_until IS NOT NULL")),
    )

    version_id: uuid.UUID = Field(primary_key=True, foreign_key="versions.id", ondelete="CASCADE")
    market: str = Field(primary_key=True, max_length=16)
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    verdict: str = Field(max_length=16)
    reasons: list[dict[str, Any]] = json_list_field()
    computed_at: datetime = timestamp_field()
    valid_until: datetime | None = timestamp_field(nullable=True, default_now=False)


class Reason(SQLModel):
    """One reason for a verdict: what it is about (rights, compliance, approval) and in words."""

    kind: str
    severity: str  # blocked or conditions
    text: str


class VerdictRead(SQLModel):
    model_config = READ_CONFIG

    market: str
    verdict: str
    label: str
    reasons: list[Reason]
    valid_until: datetime | None


class RightsRecordIn(SQLModel):
    """A rights record as a person enters it (the API's body, the form's fields, the CLI's options)."""

    licence_source: str = Field(default="", max_length=200, description="Licensor or source, e.g. Getty Images")
    licence_id: str = Field(default="", max_length=200)
    licensed_markets: list[str] = Field(default_factory=list, description="Market codes; GLOBAL for everywhere")
    licence_start: datetime | None = None
    licence_end: datetime | None = Field(default=None, description="The first moment it may no longer be used")
    usages: list[str] = Field(default_factory=list, description="web, social, print, tv, ooh; empty: all")
    model_release_status: str = Field(default="", max_length=16, description="PLUS: MR-NON, MR-NAP, MR-UMR, MR-LMR")
    property_release_status: str = Field(default="", max_length=16, description="PLUS: PR-NON, PR-NAP, PR-UPR, PR-LPR")
    minors: bool = False
    music: str = Field(default="", description="'' (not recorded), licensed or no_music")
    music_licence: str = Field(default="", max_length=200)
    creator: str = Field(default="", max_length=200)
    copyright_notice: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=2000)
    version_id: uuid.UUID | None = Field(default=None, description="Only for this version (its rights differ)")

    @classmethod
    def checked(cls, **fields: Any) -> RightsRecordIn:
        """Built from a form's or the prompt's values; Invalid naming the first field wrong."""
        try:
            return cls.model_validate(fields)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise Invalid(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if isinstance(value, str):
            return storable(value)
        if isinstance(value, list):
            return [storable(v) if isinstance(v, str) else v for v in value]
        return value


class RightsRecordRead(RightsRecordIn):
    model_config = READ_CONFIG

    id: int
    asset_id: uuid.UUID
    version_label: str | None
    source: str
    revision: int
    updated_at: datetime
