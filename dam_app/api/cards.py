"""One card over HTTP: read it whole (checklist, attached assets, coverage), edit or delete it with
the revision you saw (409 with where it is now when someone was faster), tick checklist steps,
attach library assets, ask which assets could fulfil it; and a board's coverage matrix."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import SQLModel

from dam_app.api.boards import CardOut, StaleOut, stale_response
from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, AssetSummaryOut, IngestResultOut, Text, errors
from dam_app.assets import service as assets_service
from dam_app.assets.ingest import Outcome
from dam_app.boards import card_comments, cards, checklists, coverage, reuse, service
from dam_app.boards.models import MAX_BRIEF, ChecklistItem
from dam_app.comments.mentions import MAX_BODY
from dam_app.db import session_scope
from dam_app.fields import READ_CONFIG
from dam_app.storage.spool import UploadTooLarge, spooled

router = APIRouter(tags=["boards"], responses=COMMON_ERRORS)
ALREADY_HELD = {"description": "The library holds this file already: that asset is attached"}
STALE: dict[int | str, dict[str, Any]] = {
    409: {"model": StaleOut, "description": "Changed by someone else meanwhile: who, and the card as it is now"}
}


class StepOut(SQLModel):
    model_config = READ_CONFIG
    id: uuid.UUID
    label: str
    accountable_id: uuid.UUID | None
    due_at: datetime | None
    done_at: datetime | None
    done_by: uuid.UUID | None


class AttachedOut(BaseModel):
    asset: AssetSummaryOut | None = Field(description="Null when the asset is outside your markets")
    format: str | None = Field(description="Read from the current version's pixels: 1:1, 4:5, 9:16, 1.91:1, 16:9")
    reused: bool = Field(description="The asset existed before the request: fulfilled by reuse")
    approved: bool


class NeedOut(BaseModel):
    kind: str = Field(description="market, language or format")
    value: str
    state: str = Field(description="gap, covered (by an attached asset) or approved (by an approved one)")


class CardDetailOut(BaseModel):
    card: CardOut
    checklist: list[StepOut]
    attached: list[AttachedOut]
    needs: list[NeedOut]


class CardEditIn(BaseModel):
    """Only the fields you send change; null clears an owner or a due time."""

    expected_revision: int = Field(ge=1, description="The card's revision as you saw it")
    title: Text | None = Field(default=None, min_length=1, max_length=300)
    brief: Text | None = Field(default=None, max_length=MAX_BRIEF)
    markets: list[str] | None = Field(default=None, max_length=20)
    channels: list[str] | None = Field(default=None, max_length=20)
    formats: list[str] | None = Field(default=None, max_length=10)
    languages: list[str] | None = Field(default=None, max_length=20)
    owner_id: uuid.UUID | None = None
    due_at: datetime | None = Field(default=None, description="With a time zone; stored in UTC")


class StepIn(BaseModel):
    """Only the fields you send change; null clears the accountable person or the due time."""

    done: bool | None = None
    accountable_id: uuid.UUID | None = None
    due_at: datetime | None = None


class AttachIn(BaseModel):
    asset_id: uuid.UUID


class SuggestionOut(BaseModel):
    asset: AssetSummaryOut
    covers: list[str] = Field(description="The card's open markets, languages and formats it would meet")
    reasons: list[str] = Field(description="Where search found the card's words")


class CellOut(BaseModel):
    market: str
    phase: str
    state: str = Field(description="none (nothing asked), gap, covered or approved")
    cards: list[uuid.UUID]


class CoverageOut(BaseModel):
    markets: list[str]
    phases: list[str]
    cells: list[CellOut]
    requests: int
    with_assets: int
    reused: int = Field(description="Requests fulfilled by reuse: an attached asset predates the request")
    reuse_share: float


def _detail(session: SessionDep, principal: PrincipalDep, card_id: uuid.UUID) -> CardDetailOut:
    board, card = service.visible_card(session, principal, card_id)
    attached = coverage.attached_to(session, principal, [card.id])[card.id]
    shown = {c.asset.id: c for c in assets_service.cards_for(session, [a.asset for a in attached if a.visible])}
    return CardDetailOut(
        card=CardOut.model_validate(card),
        checklist=[StepOut.model_validate(s) for s in checklists.items_of(session, [card.id])[card.id]],
        attached=[
            AttachedOut(
                asset=AssetSummaryOut.of(shown[a.asset.id]) if a.asset.id in shown else None,
                format=a.format,
                reused=a.reused,
                approved=a.approved,
            )
            for a in attached
        ],
        needs=[NeedOut(kind=n.kind, value=n.value, state=n.state) for n in coverage.needs_of(card, board, attached)],
    )


@router.get("/cards/{card_id}", responses=errors(404))
def get_card(card_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> CardDetailOut:
    """The card with its checklist, attached assets and what they cover of its markets, languages, formats."""
    return _detail(session, principal, card_id)


@router.patch("/cards/{card_id}", responses={**STALE, **errors(400, 403, 404)})
def edit_card(card_id: uuid.UUID, body: CardEditIn, principal: PrincipalDep, session: SessionDep) -> Any:
    """Edit the fields sent, if the card is still at `expected_revision`."""
    changes = body.model_dump(exclude_unset=True, exclude={"expected_revision"})
    try:
        cards.edit_card(
            session=session,
            principal=principal,
            card_id=card_id,
            changes=changes,
            expected_revision=body.expected_revision,
        )
    except service.StaleMove as stale:
        return stale_response(stale)
    session.commit()
    return _detail(session, principal, card_id)


@router.delete("/cards/{card_id}", status_code=204, response_class=Response, responses={**STALE, **errors(403, 404)})
def delete_card(
    card_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, expected_revision: int = Query(ge=1)
) -> Response:
    """Delete the request (its checklist and attachments; the assets stay), if still at that revision."""
    try:
        cards.delete_card(session=session, principal=principal, card_id=card_id, expected_revision=expected_revision)
    except service.StaleMove as stale:
        return stale_response(stale)
    session.commit()
    return Response(status_code=204)


@router.patch("/checklist-items/{item_id}", responses=errors(400, 403, 404))
def change_step(item_id: uuid.UUID, body: StepIn, principal: PrincipalDep, session: SessionDep) -> StepOut:
    """Tick or untick a step, or change who is accountable for it and when it is due."""
    sent = body.model_fields_set
    change = checklists.ItemChange(
        done=body.done,
        accountable_id=body.accountable_id,
        clear_accountable="accountable_id" in sent and body.accountable_id is None,
        due_at=body.due_at,
        clear_due="due_at" in sent and body.due_at is None,
    )
    step: ChecklistItem = cards.change_step(session=session, principal=principal, item_id=item_id, change=change)
    session.commit()
    return StepOut.model_validate(step)


@router.post("/cards/{card_id}/assets", status_code=201, responses=errors(400, 403, 404))
def attach_asset(card_id: uuid.UUID, body: AttachIn, principal: PrincipalDep, session: SessionDep) -> CardDetailOut:
    """Attach a library asset (attaching it again changes nothing)."""
    cards.attach(session=session, principal=principal, card_id=card_id, asset_id=body.asset_id)
    session.commit()
    return _detail(session, principal, card_id)


@router.post(
    "/cards/{card_id}/upload",
    status_code=201,
    responses={
        200: ALREADY_HELD,
        **errors(400, 403, 404, 413),
    },
)
def upload_onto(card_id: uuid.UUID, principal: PrincipalDep, file: Annotated[UploadFile, File()]) -> Any:
    """A file made for the request: a new asset classified from the card and attached to it."""
    principal.require("asset.write")  # before the file is stored anywhere
    name = file.filename or "unnamed"
    try:
        with spooled(file.file) as path, session_scope() as session:
            result = cards.upload_onto(session=session, principal=principal, card_id=card_id, path=path, filename=name)
    except UploadTooLarge as exc:
        raise HTTPException(413, str(exc)) from exc
    if result.outcome == Outcome.FAILED:
        raise HTTPException(422, result.message)
    body = IngestResultOut.of(result).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if result.outcome == Outcome.IMPORTED else 200)


@router.delete(
    "/cards/{card_id}/assets/{asset_id}", status_code=204, response_class=Response, responses=errors(403, 404)
)
def detach_asset(card_id: uuid.UUID, asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    cards.detach(session=session, principal=principal, card_id=card_id, asset_id=asset_id)
    session.commit()
    return Response(status_code=204)


class CardCommentIn(BaseModel):
    body: Text = Field(min_length=1, max_length=MAX_BODY, description="@name people (e-mail or its first part)")


class CardCommentOut(SQLModel):
    model_config = READ_CONFIG
    id: int
    author_id: uuid.UUID | None
    body: str
    created_at: datetime


@router.get("/cards/{card_id}/comments", responses=errors(404))
def list_comments(card_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[CardCommentOut]:
    """The card's comments, oldest first."""
    return [
        CardCommentOut.model_validate(c)
        for c in card_comments.comments_of(session=session, principal=principal, card_id=card_id)
    ]


@router.post("/cards/{card_id}/comments", status_code=201, responses=errors(400, 403, 404))
def add_comment(
    card_id: uuid.UUID, body: CardCommentIn, principal: PrincipalDep, session: SessionDep
) -> CardCommentOut:
    """A comment on the request; each person it @names is alerted (and must be able to open the card)."""
    comment = card_comments.add_comment(session=session, principal=principal, card_id=card_id, body=body.body)
    session.commit()
    return CardCommentOut.model_validate(comment)


@router.get("/cards/{card_id}/suggestions", responses=errors(404))
def suggestions(
    card_id: uuid.UUID, principal: PrincipalDep, session: SessionDep, limit: int = Query(default=6, ge=1, le=24)
) -> list[SuggestionOut]:
    """Library assets that could fulfil the card (its title and brief searched), those closing most gaps first."""
    return [
        SuggestionOut(asset=AssetSummaryOut.of(s.card), covers=s.covers, reasons=s.reasons)
        for s in reuse.suggestions(session=session, principal=principal, card_id=card_id, limit=limit)
    ]


@router.get("/boards/{board_id}/coverage", responses=errors(404))
def board_coverage(board_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> CoverageOut:
    """Market x phase: which requests have an asset for each market, which are approved, and the reuse count."""
    read = coverage.campaign_coverage(session=session, principal=principal, board_id=board_id)
    return CoverageOut(
        markets=read.markets,
        phases=read.phases,
        cells=[
            CellOut(market=m, phase=p, state=cell.state, cards=[c.id for c in cell.cards])
            for (m, p), cell in read.cells.items()
        ],
        requests=read.requests,
        with_assets=read.with_assets,
        reused=read.reused,
        reuse_share=round(read.reuse_share, 3),
    )
