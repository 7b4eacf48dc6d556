"""Rights records of an asset (reviewers and admins keep them, every change audited) and its verdict
per market: usable, usable with conditions, or blocked, with the reasons."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.assets import service as assets_service
from dam_app.assets.models import Version
from dam_app.errors import NotFound
from dam_app.rights import guard, policy
from dam_app.rights import service as rights_service
from dam_app.rights.models import RightsRecordIn, RightsRecordRead, VerdictRead

router = APIRouter(tags=["rights"], responses=COMMON_ERRORS)
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The record's number")]
Revision = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="The revision you read; a newer one refuses the change")
]


class RightsRecordOut(RightsRecordRead):
    """One rights record: licensor, licence, territory, period, usages, releases, minors, music."""


class RightsRecordEdit(RightsRecordIn):
    revision: Revision


class VerdictsOut(BaseModel):
    """A version's verdict in each of the asset's markets, judged now."""

    version_id: uuid.UUID | None
    verdicts: list[VerdictRead]


@router.get("/assets/{asset_id}/rights", responses=errors(404))
def list_rights(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[RightsRecordOut]:
    """The asset's rights records: for the whole asset, then those for one version."""
    records = rights_service.records_for(session=session, principal=principal, asset_id=asset_id)
    return [RightsRecordOut.model_validate(r.model_dump()) for r in records]


@router.post("/assets/{asset_id}/rights", status_code=201, responses=errors(400, 403, 404, 409))
def add_rights(
    asset_id: uuid.UUID, body: RightsRecordIn, principal: PrincipalDep, session: SessionDep
) -> RightsRecordOut:
    """Add a record (reviewers and admins, in their markets); 409 when another record already covers
    one of its markets for an overlapping period."""
    saved = rights_service.save_record(session=session, principal=principal, asset_id=asset_id, data=body)
    return RightsRecordOut.model_validate(saved.model_dump())


@router.put("/assets/{asset_id}/rights/{record_id}", responses=errors(400, 403, 404, 409))
def edit_rights(
    asset_id: uuid.UUID, record_id: RecordId, body: RightsRecordEdit, principal: PrincipalDep, session: SessionDep
) -> RightsRecordOut:
    """Replace a record, given the revision you read (409 if it changed since)."""
    data = RightsRecordIn.model_validate(body.model_dump(exclude={"revision"}))
    saved = rights_service.save_record(
        session=session, principal=principal, asset_id=asset_id, data=data, record_id=record_id, revision=body.revision
    )
    return RightsRecordOut.model_validate(saved.model_dump())


@router.delete("/assets/{asset_id}/rights/{record_id}", status_code=204, responses=errors(403, 404, 409))
def delete_rights(
    asset_id: uuid.UUID,
    record_id: RecordId,
    principal: PrincipalDep,
    session: SessionDep,
    revision: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    rights_service.delete_record(
        session=session, principal=principal, asset_id=asset_id, record_id=record_id, revision=revision
    )
    return Response(status_code=204)


@router.get("/assets/{asset_id}/verdict", responses=errors(404))
def asset_verdict(
    asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, version_id: uuid.UUID | None = None
) -> VerdictsOut:
    """Usable in each of your markets? For the current version (or `version_id` of it); a global
    asset is judged for each of your markets."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    version_id = version_id or asset.current_version_id
    version = session.get(Version, version_id) if version_id else None
    if version_id is not None and (version is None or version.asset_id != asset.id):
        raise NotFound("version", version_id)
    if version is None:
        return VerdictsOut(version_id=None, verdicts=[])
    return VerdictsOut(version_id=version.id, verdicts=guard.verdicts_for(session, principal, asset, version))


class MarketStagesOut(BaseModel):
    """The review stages a market requires before a version may be used there."""

    code: str
    name: str
    stages: list[str]


class MarketStagesIn(BaseModel):
    stages: list[Annotated[Text, Field(max_length=16)]] = Field(max_length=3, description="legal, brand, market")


@router.get("/markets/review-stages")
def market_stages(principal: PrincipalDep, session: SessionDep) -> list[MarketStagesOut]:
    """Every market with the stages it requires."""
    principal.require("asset.read")
    return [MarketStagesOut(code=c, name=n, stages=s) for c, n, s in policy.market_stages(session=session)]


@router.put("/markets/{code}/review-stages", responses=errors(400, 403, 404))
def set_market_stages(
    code: Text, body: MarketStagesIn, principal: PrincipalDep, session: SessionDep
) -> MarketStagesOut:
    """Change what a market requires (admins, audited); its assets are judged again."""
    stages = policy.set_review_stages(session=session, principal=principal, code=code, stages=body.stages)
    name = next(n for c, n, _ in policy.market_stages(session=session) if c == code.strip().upper())
    return MarketStagesOut(code=code.strip().upper(), name=name, stages=stages)
