"""PATCH /api/v1/assets/{id}: change an asset's details; search follows (see assets/editing.py)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import AssetDetailOut
from dam_app.assets import editing
from dam_app.assets import service as assets_service
from dam_app.catalog.service import UnknownValue

router = APIRouter(tags=["assets"])


class AssetEditIn(BaseModel):
    """Only the fields sent change. "" clears content_type, campaign, phase, channel or language."""

    title: str | None = Field(None, max_length=editing.MAX_TITLE * 2)  # measured after spaces are folded
    description: str | None = Field(None, max_length=editing.MAX_DESCRIPTION)
    markets: list[str] | None = Field(None, max_length=50, description="Market codes or names; replaces the list")
    content_type: str | None = None
    campaign: str | None = Field(None, max_length=160, description="A campaign name; created on first use")
    phase: str | None = None
    channel: str | None = None
    language: str | None = Field(None, max_length=16)
    add_tags: list[str] = Field(default_factory=list, max_length=100)
    remove_tags: list[str] = Field(default_factory=list, max_length=100)


@router.patch("/assets/{asset_id}")
def edit_asset(asset_id: uuid.UUID, body: AssetEditIn, principal: PrincipalDep, session: SessionDep) -> AssetDetailOut:
    """Change title, description, classification or tags (needs write access to the asset's markets)."""
    try:
        editing.edit_asset(
            session=session, principal=principal, asset_id=asset_id, edit=editing.AssetEdit(**body.model_dump())
        )
    except (UnknownValue, editing.InvalidEdit) as exc:
        raise HTTPException(422, str(exc)) from exc
    return AssetDetailOut.of(assets_service.get_detail(session=session, principal=principal, asset_id=asset_id))
