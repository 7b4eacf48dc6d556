"""PATCH /api/v1/assets/{id}: change an asset's details; search follows (see assets/editing.py)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, AssetDetailOut, Text, errors
from dam_app.assets import editing
from dam_app.assets import service as assets_service

router = APIRouter(tags=["assets"], responses=COMMON_ERRORS)


class AssetEditIn(BaseModel):
    """Only the fields sent change. "" clears content_type, campaign, phase, channel or language."""

    title: Text | None = Field(None, max_length=editing.MAX_TITLE * 2)  # measured after spaces are folded
    description: Text | None = Field(None, max_length=editing.MAX_DESCRIPTION)
    markets: list[Text] | None = Field(None, max_length=50, description="Market codes or names; replaces the list")
    content_type: Text | None = None
    campaign: Text | None = Field(None, max_length=160, description="A campaign name; created on first use")
    phase: Text | None = None
    channel: Text | None = None
    language: Text | None = Field(None, max_length=16)
    add_tags: list[Text] = Field(default_factory=list, max_length=100)
    remove_tags: list[Text] = Field(default_factory=list, max_length=100)


@router.patch("/assets/{asset_id}", responses=errors(400, 403, 404))
def edit_asset(asset_id: uuid.UUID, body: AssetEditIn, principal: PrincipalDep, session: SessionDep) -> AssetDetailOut:
    """Change title, description, classification or tags (needs write access to the asset's markets)."""
    editing.edit_asset(
        session=session, principal=principal, asset_id=asset_id, edit=editing.AssetEdit(**body.model_dump())
    )
    return AssetDetailOut.of(assets_service.get_detail(session=session, principal=principal, asset_id=asset_id))
