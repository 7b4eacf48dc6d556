"""Compliance tables: rule packs (every saved edit a new version), the findings of a version's check
per market, and the exceptions reviewers accepted (kept per version and market, so a re-check after
a pack change finds the same words and keeps the reviewer's word)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from dam_app.fields import READ_CONFIG, json_field, text_array_field, timestamp_field


class RulePack(SQLModel, table=True):
    __tablename__ = "rule_packs"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_rule_packs_key_version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    version: int
    name: str = Field(max_length=200)
    kind: str = Field(max_length=24)
    markets: list[str] = text_array_field()
    definition: dict[str, Any] = json_field()
    note: str = ""
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()


class ComplianceCheck(SQLModel, table=True):
    """That a version was checked, when, and against which pack versions ({key: version})."""

    __tablename__ = "compliance_checks"

    version_id: uuid.UUID = Field(primary_key=True, foreign_key="versions.id", ondelete="CASCADE")
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    packs: dict[str, Any] = json_field()
    checked_at: datetime = timestamp_field()


class FindingKey(SQLModel):
    """What identifies a finding across re-checks: the same words at the same place of the same text."""

    market: str = Field(max_length=16)
    pack_key: str = Field(max_length=64)
    rule: str = Field(max_length=32)
    field: str = Field(max_length=16)
    start: int
    matched: str = Field(max_length=400)


class Finding(FindingKey, table=True):
    __tablename__ = "compliance_findings"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)  # re-checks use up numbers
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    pack_version: int
    end: int
    message: str
    box: list[float] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    created_at: datetime = timestamp_field()


class FindingException(FindingKey, table=True):
    __tablename__ = "compliance_exceptions"
    __table_args__ = (
        UniqueConstraint(
            "version_id", "market", "pack_key", "rule", "field", "start", "matched", name="uq_compliance_exceptions"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    reason: str
    evidence: str = ""
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime = timestamp_field()


class ExceptionRead(SQLModel):
    model_config = READ_CONFIG

    reason: str
    evidence: str
    decided_by: str
    decided_at: datetime


class FindingRead(FindingKey):
    """A finding as the page, the API and the CLI show it: the words with what stands around them."""

    model_config = READ_CONFIG

    id: int
    pack_name: str
    pack_version: int
    field_label: str
    end: int
    message: str
    box: list[float] | None
    before: str = Field(description="Up to 40 characters before the words, for the highlight")
    after: str = Field(description="Up to 40 characters after the words")
    exception: ExceptionRead | None


class ComplianceRead(SQLModel):
    """A version's check: when it ran (None: not yet), and its findings, open ones first."""

    version_id: uuid.UUID | None
    checked_at: datetime | None
    findings: list[FindingRead]

    @property
    def open_count(self) -> int:
        return sum(f.exception is None for f in self.findings)


class RulePackRead(SQLModel):
    model_config = READ_CONFIG

    key: str
    version: int
    name: str
    kind: str
    markets: list[str]
    definition: dict[str, Any]
    note: str
    created_at: datetime
