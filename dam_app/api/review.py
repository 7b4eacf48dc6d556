"""Approvals of an asset's current version: read them, or record a reviewer's decision."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
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
