"""Approvals of an asset's current version: read them, or record a reviewer's decision."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.review import queue as review_queue_service
from dam_app.review import service as review_service
from dam_app.review.models import ApprovalRead, Decision, ReviewStage

router = APIRouter(tags=["review"], responses=COMMON_ERRORS)


class DecisionIn(BaseModel):
    market: Text = Field(max_length=16, description="One of the asset's markets, within your scope")
    stage: ReviewStage
    decision: Decision
    note: Annotated[Text, Field(max_length=review_service.MAX_NOTE)] = ""


class ApprovalOut(ApprovalRead):
    """A decision on the asset's current version: for which market and stage, what, why, who and when."""

    # The review service's read model as is; a subclass only so the OpenAPI schema keeps this name.


@router.get("/assets/{asset_id}/approvals", responses=errors(404))
def list_approvals(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[ApprovalOut]:
    """Decisions on the asset's current version (a new version starts unreviewed)."""
    return [
        ApprovalOut.model_validate(v)
        for v in review_service.approvals_for(session=session, principal=principal, asset_id=asset_id)
    ]


class SinceApprovedOut(BaseModel):
    """For one of your markets that approved an earlier version: what changed since."""

    market: str
    since_version_id: uuid.UUID
    since: str = Field(description="The label of the version the market approved")
    stages: list[str] = Field(description="The stages that approved it")
    state: str = Field(description="unchanged | changed | comparing | not_compared")
    text: str = Field(description="What the comparison shows, in words; the decision stays the reviewer's")


@router.get("/assets/{asset_id}/since-approved", responses=errors(404))
def since_approved(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[SinceApprovedOut]:
    """Whether the current version changed, where each of your markets reads, since that market approved
    an earlier version (the comparison runs in the worker: "comparing" until it is done)."""
    found = review_service.since_approved(session=session, principal=principal, asset_id=asset_id)
    return [SinceApprovedOut.model_validate(c, from_attributes=True) for c in found]


@router.post("/assets/{asset_id}/approvals", status_code=201, responses=errors(400, 403, 404))
def record_approval(asset_id: uuid.UUID, body: DecisionIn, principal: PrincipalDep, session: SessionDep) -> ApprovalOut:
    """Approve or reject the current version for one market at one stage (needs the review permission)."""
    view = review_service.record_decision(
        session=session,
        principal=principal,
        asset_id=asset_id,
        market=body.market,
        stage=body.stage,
        decision=body.decision,
        note=body.note,
    )
    return ApprovalOut.model_validate(view)


class AwaitingOut(BaseModel):
    market: str
    stage: str


class QueueItemOut(BaseModel):
    """A current version waiting for decisions in your markets."""

    asset_id: uuid.UUID
    title: str
    version_id: uuid.UUID
    version: str
    since: datetime = Field(description="When this version was added")
    awaiting: list[AwaitingOut] = Field(description="The market x stage pairs it still waits for")
    open_findings: int = Field(description="Compliance findings in your markets without an accepted exception")


class QueueOut(BaseModel):
    items: list[QueueItemOut]
    total: int = Field(description="Versions waiting in all, beyond this page too")


@router.get("/review/queue", responses=errors(403))
def review_queue(
    principal: PrincipalDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=review_queue_service.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> QueueOut:
    """What waits for a decision in your markets, by the stages each market requires, oldest first."""
    found = review_queue_service.awaiting_me(session=session, principal=principal, limit=limit, offset=offset)
    return QueueOut(
        items=[
            QueueItemOut(
                asset_id=i.asset_id,
                title=i.title,
                version_id=i.version_id,
                version=i.version,
                since=i.since,
                awaiting=[AwaitingOut(market=m, stage=s) for m, s in i.awaiting],
                open_findings=i.open_findings,
            )
            for i in found.items
        ],
        total=found.total,
    )
