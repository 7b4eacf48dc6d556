"""Compliance: a version's findings per market, exceptions reviewers accept, and the rule packs
(read by everyone, edited by admins as new versions)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.review import compliance, rule_packs
from dam_app.review.compliance_models import ComplianceRead, FindingRead, RulePackRead

router = APIRouter(tags=["compliance"], responses=COMMON_ERRORS)
FindingId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The finding's number")]


class ComplianceOut(ComplianceRead):
    """The check of one version: when it ran (null: not yet) and its findings in your markets, open first."""

    open_findings: int = Field(description="Findings no reviewer has accepted an exception for")


class FindingOut(FindingRead):
    """One finding: rule pack, rule, market, where (field and character span, or a box on the picture) and why."""


class ExceptionIn(BaseModel):
    reason: Annotated[Text, Field(max_length=compliance.MAX_REASON, description="Why the finding is acceptable")]
    evidence: Annotated[Text, Field(max_length=compliance.MAX_REASON)] = ""


class RulePackOut(RulePackRead):
    """A rule pack's newest (or a listed) version: what it looks for, in which markets."""


class RulePackIn(BaseModel):
    definition: dict[str, Any] = Field(description="The pack's terms, exemptions or patterns (see GET)")
    name: Annotated[Text, Field(max_length=rule_packs.MAX_NAME)] | None = None
    markets: list[Annotated[Text, Field(max_length=16)]] | None = Field(default=None, max_length=50)
    note: Annotated[Text, Field(max_length=2000)] = ""
    base_version: int | None = Field(default=None, description="The version you edited; a newer one refuses the save")


@router.get("/assets/{asset_id}/compliance", responses=errors(404))
def asset_compliance(
    asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, version_id: uuid.UUID | None = None
) -> ComplianceOut:
    """Findings of the rule packs on the asset's current version (or `version_id`), in your markets."""
    result = compliance.findings_for(session=session, principal=principal, asset_id=asset_id, version_id=version_id)
    return ComplianceOut.model_validate({**result.model_dump(), "open_findings": result.open_count})


@router.post("/assets/{asset_id}/compliance/findings/{finding_id}/exception", responses=errors(400, 403, 404, 409))
def accept_exception(
    asset_id: uuid.UUID, finding_id: FindingId, body: ExceptionIn, principal: PrincipalDep, session: SessionDep
) -> FindingOut:
    """Accept a finding for its version and market with a reason (a health claim also names its evidence)."""
    read = compliance.accept_exception(
        session=session,
        principal=principal,
        asset_id=asset_id,
        finding_id=finding_id,
        reason=body.reason,
        evidence=body.evidence,
    )
    return FindingOut.model_validate(read.model_dump())


@router.get("/compliance/packs")
def list_packs(principal: PrincipalDep, session: SessionDep) -> list[RulePackOut]:
    """The newest version of every rule pack."""
    return [
        RulePackOut.model_validate(p.model_dump()) for p in rule_packs.list_packs(session=session, principal=principal)
    ]


@router.get("/compliance/packs/{key}/versions", responses=errors(404))
def pack_history(key: str, principal: PrincipalDep, session: SessionDep) -> list[RulePackOut]:
    """Every saved version of one pack, newest first."""
    return [
        RulePackOut.model_validate(p.model_dump())
        for p in rule_packs.history(session=session, principal=principal, key=key)
    ]


@router.put("/compliance/packs/{key}", responses=errors(400, 403, 404, 409))
def save_pack(key: str, body: RulePackIn, principal: PrincipalDep, session: SessionDep) -> RulePackOut:
    """Save an edit as the pack's next version (admins); every current version is then checked again."""
    saved = rule_packs.save_pack(
        session=session,
        principal=principal,
        key=key,
        definition=body.definition,
        name=body.name,
        markets=body.markets,
        note=body.note,
        base_version=body.base_version,
    )
    return RulePackOut.model_validate(saved.model_dump())
