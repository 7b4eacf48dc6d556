"""Approval decisions, one per version x market x stage (the latest decision stands; the audit log
keeps every one)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from dam_app.fields import READ_CONFIG, timestamp_field


class ReviewStage(StrEnum):
    LEGAL = "legal"
    BRAND = "brand"
    MARKET = "market"  # the regional lead's sign-off for their market


class Decision(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CHANGES = "approved_with_changes"  # usable once the changes named in the note are made
    REJECTED = "rejected"


DECISION_LABELS = {
    Decision.APPROVED: "Approved",
    Decision.APPROVED_WITH_CHANGES: "Approved with changes",
    Decision.REJECTED: "Rejected",
}


# The states search filters on (assets.approval_states, migration 0005), in words.
APPROVAL_STATE_LABELS = {
    "approved": "Approved in every stage its markets require",
    "in_review": "In review (stages still awaited)",
    "rejected": "Rejected",
    "unreviewed": "Not reviewed yet",
    "legal_approved": "Legal approved",
    "brand_approved": "Brand approved",
    "market_approved": "Market approved",
}


class ApprovalBase(SQLModel):
    """One decision as people read it: for which market, at which stage, what, and why."""

    market: str = Field(foreign_key="markets.code", max_length=16)
    stage: str = Field(max_length=16)
    decision: str = Field(max_length=24)
    note: str = Field(default="", max_length=2000)


class Approval(ApprovalBase, table=True):
    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("version_id", "market", "stage", name="uq_approvals_version_market_stage"),
        CheckConstraint("stage IN ('legal','brand','market')", name="ck_approvals_stage"),
        CheckConstraint("decision IN ('approved','approved_with_changes','rejected')", name="ck_approvals_decision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: uuid.UUID = Field(foreign_key="assets.id", index=True, ondelete="CASCADE")
    version_id: uuid.UUID = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime = timestamp_field()


class ApprovalRead(ApprovalBase):
    """A decision with who made it (their e-mail, or "system"), for the API, the UI and the CLI."""

    model_config = READ_CONFIG

    decided_by: str  # the table holds the user's id; readers get the e-mail
    decided_at: datetime
