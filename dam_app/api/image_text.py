"""The text in an asset's picture, as OCR read it: lines with boxes, language, discounts and prices."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, errors
from dam_app.assets import jobs
from dam_app.errors import NotFound
from dam_app.tagging import image_text
from dam_app.tagging.models import ImageTextRead

router = APIRouter(tags=["tagging"], responses=COMMON_ERRORS)


class TextNotReadYet(NotFound):
    """The ocr stage has not run for this version yet (it runs after the renditions)."""

    def __init__(self, version: object) -> None:
        super().__init__("read text", version)
        self.message = "the picture's text has not been read yet: the ocr stage runs after the renditions"


@router.get("/assets/{asset_id}/text", responses=errors(404))
def picture_text(
    asset_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    version: uuid.UUID | None = Query(default=None, description="A version of the asset; the current one if omitted"),
) -> ImageTextRead:
    """What the picture says: `status` "read" with lines and facts, "none" when it shows no text, or
    "skipped" with the reason (a document, no OCR model); 404 until the ocr stage has run."""
    found = image_text.text_for(session=session, principal=principal, asset_id=asset_id, version_id=version)
    if found is None:
        raise TextNotReadYet(version or "current")
    return found


class RetagIn(BaseModel):
    stages: list[str] = Field(default=["ocr"], min_length=1, max_length=10, description="Stages to run again")


class RetagOut(BaseModel):
    stages: list[str] = Field(description="What will run, in order: the stages asked for and those after them")


@router.post("/assets/{asset_id}/retag", status_code=202, responses=errors(400, 403, 404, 409, 422))
def retag(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, body: RetagIn | None = None) -> RetagOut:
    """Read the picture's text again (or run other stages) on the current version; the asset stays
    ready and searchable meanwhile, and a person's tags are kept. Editors only."""
    chain = jobs.rerun_for(session=session, principal=principal, asset_id=asset_id, stages=(body or RetagIn()).stages)
    return RetagOut(stages=list(chain))
