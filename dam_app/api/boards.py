"""Campaign boards over HTTP: create a board, read it, add cards, move them with the revision you saw
(409 with where the card is now when someone was faster), and a card's history (boards/service.py)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import SQLModel

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.boards import bulk, columns, export, reads, service, templates
from dam_app.boards.filters import CardFilter
from dam_app.boards.models import MAX_BRIEF, Board, CardStatus
from dam_app.fields import READ_CONFIG, utcnow

router = APIRouter(tags=["boards"], responses=COMMON_ERRORS)


class ColumnIn(BaseModel):
    phase: str = Field(max_length=32, description="warm-up, peak or encore")
    starts_on: date | None = None
    ends_on: date | None = None
    soft_limit: int | None = Field(default=None, ge=1, le=100_000, description="Over it the column shows amber")
    hard_limit: int | None = Field(default=None, ge=1, le=100_000, description="A move into a full column is refused")


class BoardIn(BaseModel):
    campaign: Text = Field(min_length=1, max_length=160, description="The campaign's name (created if new)")
    markets: list[str] = Field(default_factory=list, max_length=20)
    time_zone: str = Field(default="UTC", max_length=64)
    event_date: date | None = None
    columns: list[ColumnIn] = Field(default_factory=list, max_length=10)


class ColumnOut(SQLModel):
    model_config = READ_CONFIG
    phase: str
    starts_on: date | None
    ends_on: date | None
    soft_limit: int | None
    hard_limit: int | None
    count: int = 0
    over_soft_limit: bool = False


class CardOut(SQLModel):
    model_config = READ_CONFIG
    id: uuid.UUID
    board_id: uuid.UUID
    phase: str
    status: str
    position: str
    revision: int
    title: str
    brief: str
    markets: list[str]
    channels: list[str]
    formats: list[str]
    languages: list[str]
    owner_id: uuid.UUID | None
    due_at: datetime | None
    updated_by: uuid.UUID | None
    updated_at: datetime


class BoardOut(SQLModel):
    model_config = READ_CONFIG
    id: uuid.UUID
    campaign: str
    markets: list[str]
    time_zone: str
    event_date: date | None
    owner_id: uuid.UUID | None
    created_at: datetime
    columns: list[ColumnOut] = []
    cards: list[CardOut] = []


class CardIn(BaseModel):
    title: Text = Field(min_length=1, max_length=300)
    phase: str = Field(max_length=32)
    status: CardStatus = CardStatus.REQUESTED
    brief: Text = Field(default="", max_length=MAX_BRIEF)
    markets: list[str] = Field(default_factory=list, max_length=20)
    channels: list[str] = Field(default_factory=list, max_length=20)
    formats: list[str] = Field(default_factory=list, max_length=10, description="1:1, 4:5, 9:16, 1.91:1, 16:9")
    languages: list[str] = Field(default_factory=list, max_length=20)
    owner_id: uuid.UUID | None = None
    due_at: datetime | None = Field(default=None, description="With a time zone; stored in UTC")


class MoveIn(BaseModel):
    phase: str = Field(max_length=32)
    status: CardStatus
    after: uuid.UUID | None = Field(default=None, description="Drop below this card; null puts it at the top")
    to_bottom: bool = Field(default=False, description="Below every other card of the column (`after` is ignored)")
    expected_revision: int = Field(ge=1, description="The card's revision as you saw it")


def stale_response(stale: service.StaleMove) -> JSONResponse:
    """409 saying who changed the card, with the card as it is now (moves, edits, deletes)."""
    now = CardOut.model_validate(stale.card).model_dump(mode="json")
    return JSONResponse({"detail": stale.message, "card": now}, status_code=409)


class StaleOut(BaseModel):
    detail: str
    card: CardOut | None = Field(default=None, description="Where the card is now (absent when the column is full)")


class CardEventOut(SQLModel):
    model_config = READ_CONFIG
    action: str
    actor_id: uuid.UUID | None
    details: dict[str, Any]
    at: datetime


def _board_out(
    session: SessionDep, principal: PrincipalDep, board: Board, *, full: bool, card_filter: CardFilter | None = None
) -> BoardOut:
    out = BoardOut.model_validate(board)
    if not full:
        return out
    read = reads.read_board(session=session, principal=principal, board_id=board.id)
    out.columns = [
        ColumnOut.model_validate(c.column).model_copy(update={"count": c.count, "over_soft_limit": c.over_soft_limit})
        for c in read.columns
    ]
    keeps, now = card_filter or CardFilter(), utcnow()
    out.cards = [CardOut.model_validate(c) for c in read.cards if keeps.keeps(c, board, principal.user_id, now)]
    return out


@router.post("/boards", status_code=201, responses=errors(400, 403, 409))
def create_board(body: BoardIn, principal: PrincipalDep, session: SessionDep) -> BoardOut:
    """A board for a campaign, one column per phase (with the dates and WIP limits given)."""
    board = service.create_board(
        session=session,
        principal=principal,
        campaign=body.campaign,
        markets=body.markets,
        time_zone=body.time_zone,
        event_date=body.event_date,
        columns=[service.ColumnSpec(**c.model_dump()) for c in body.columns],
    )
    session.commit()
    return _board_out(session, principal, board, full=True)


class ColumnChangeIn(BaseModel):
    starts_on: date | None = None
    ends_on: date | None = None
    soft_limit: int | None = Field(default=None, ge=1, le=100_000, description="Over it the column shows amber")
    hard_limit: int | None = Field(default=None, ge=1, le=100_000, description="A move into a full column is refused")


@router.put("/boards/{board_id}/columns/{phase}", responses=errors(400, 403, 404))
def update_column(
    board_id: uuid.UUID, phase: str, body: ColumnChangeIn, principal: PrincipalDep, session: SessionDep
) -> ColumnOut:
    """A phase's dates and WIP limits (all four: null clears one); a hard limit below the cards
    already in the phase is refused."""
    column = columns.update_column(
        session=session,
        principal=principal,
        board_id=board_id,
        spec=service.ColumnSpec(phase[:32], **body.model_dump()),
    )
    session.commit()
    counts = reads.column_counts(session=session, board_id=board_id)
    return ColumnOut.model_validate(column).model_copy(update={"count": counts.get(column.phase, 0)})


class StatusLimitIn(BaseModel):
    soft_limit: int | None = Field(default=None, ge=1, le=100_000, description="Over it the status shows amber")
    hard_limit: int | None = Field(default=None, ge=1, le=100_000, description="A move or new card into it is refused")


class StatusLimitOut(SQLModel):
    model_config = READ_CONFIG
    status: str
    soft_limit: int | None
    hard_limit: int | None
    count: int = 0


@router.put("/boards/{board_id}/statuses/{status}", responses=errors(400, 403, 404))
def update_status_limit(
    board_id: uuid.UUID, status: str, body: StatusLimitIn, principal: PrincipalDep, session: SessionDep
) -> StatusLimitOut:
    """A status's WIP limits across the board's phases (null: none); a hard limit below the cards
    already in that status is refused."""
    limit = columns.update_status_limit(
        session=session, principal=principal, board_id=board_id, status=status[:16], **body.model_dump()
    )
    session.commit()
    counts = columns.status_counts(session=session, board_id=board_id)
    return StatusLimitOut.model_validate(limit).model_copy(update={"count": counts.get(limit.status, 0)})


class CopyIn(BaseModel):
    campaign: Text = Field(min_length=1, max_length=160, description="The new campaign's name (created if new)")
    event_date: date = Field(description="The new event date: every date of the template shifts by the difference")
    time_zone: str | None = Field(default=None, max_length=64, description="Default: the template's")


@router.post("/boards/{board_id}/copy", status_code=201, responses=errors(400, 403, 404, 409))
def copy_board(board_id: uuid.UUID, body: CopyIn, principal: PrincipalDep, session: SessionDep) -> BoardOut:
    """A new campaign's board from this one as a template: columns, cards and checklists, dates shifted."""
    board = templates.copy_board(
        session=session,
        principal=principal,
        template_id=board_id,
        campaign=body.campaign,
        event_date=body.event_date,
        time_zone=body.time_zone,
    )
    session.commit()
    return _board_out(session, principal, board, full=True)


@router.get("/boards")
def list_boards(principal: PrincipalDep, session: SessionDep) -> list[BoardOut]:
    """The boards of the caller's markets, newest first (without their cards)."""
    return [
        _board_out(session, principal, b, full=False)
        for b in reads.visible_boards(session=session, principal=principal)
    ]


@router.get("/boards/{board_id}", responses=errors(404))
def get_board(
    board_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    market: list[str] = Query(default=[], max_length=20, description="Cards asking for any of these markets"),
    owner_id: uuid.UUID | None = None,
    channel: list[str] = Query(default=[], max_length=20),
    due_within_days: int | None = Query(default=None, ge=1, le=366, description="Due between now and then"),
    overdue: bool = Query(default=False, description="Due time passed, not approved or live yet"),
    mine: bool = Query(default=False, description="Owned by you (or made by you while nobody owns it)"),
) -> BoardOut:
    """The board with its columns (counts, limits: every card counts) and the cards the caller may
    see, in order, narrowed by the filters given."""
    card_filter = CardFilter(
        markets=tuple(market),
        owner_id=owner_id,
        channels=tuple(channel),
        due_within=timedelta(days=due_within_days) if due_within_days else None,
        overdue=overdue,
        mine=mine,
    )
    board = service.visible_board(session, principal, board_id)
    return _board_out(session, principal, board, full=True, card_filter=card_filter)


@router.get("/boards/{board_id}/export.csv", response_class=Response, responses=errors(404))
def export_board(board_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    """The cards the caller may see as CSV (UTF-8 with a byte-order mark, formulas quoted), in board order."""
    board = service.visible_board(session, principal, board_id)
    body = export.as_csv(export.card_rows(session=session, principal=principal, board_id=board.id))
    name = re.sub(r"[^A-Za-z0-9._-]", "-", board.campaign)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="board-{name}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/boards/{board_id}/cards", status_code=201, responses=errors(400, 403, 404, 409))
def add_card(board_id: uuid.UUID, body: CardIn, principal: PrincipalDep, session: SessionDep) -> CardOut:
    """A new request at the bottom of its phase and status; 409 when the phase is at its hard limit."""
    card = service.add_card(
        session=session,
        principal=principal,
        board_id=board_id,
        fields=service.CardFields(**{**body.model_dump(), "status": str(body.status)}),
    )
    session.commit()
    return CardOut.model_validate(card)


@router.post(
    "/cards/{card_id}/move",
    responses={
        409: {"model": StaleOut, "description": "Moved by someone else meanwhile, or the column is full"},
        **errors(400, 403, 404),
    },
)
def move_card(card_id: uuid.UUID, body: MoveIn, principal: PrincipalDep, session: SessionDep) -> Any:
    """Move the card (one row written). 409 when its revision moved on (the body says who moved it
    and where it is now) or the target phase is at its hard limit."""
    try:
        card = service.move_card(
            session=session,
            principal=principal,
            card_id=card_id,
            phase=body.phase,
            status=str(body.status),
            after=body.after,
            expected_revision=body.expected_revision,
            to_bottom=body.to_bottom,
        )
    except service.StaleMove as stale:
        return stale_response(stale)
    session.commit()
    return CardOut.model_validate(card)


class ManyMoveIn(BaseModel):
    card_id: uuid.UUID
    phase: str = Field(max_length=32)
    status: CardStatus
    expected_revision: int = Field(ge=1)


class MovesIn(BaseModel):
    moves: list[ManyMoveIn] = Field(min_length=1, max_length=bulk.MAX_MOVES)


class MovedOut(BaseModel):
    card_id: uuid.UUID
    card: CardOut | None = Field(description="Where the card is now, when moved")
    refused: str = Field(description="Why not, when refused (the other moves still happened)")


@router.post("/cards/moves", responses=errors(400, 403))
def move_cards(body: MovesIn, principal: PrincipalDep) -> list[MovedOut]:
    """Bulk move: each card to the bottom of its target, each move on its own with its own revision."""
    outcomes = bulk.move_many(
        principal=principal,
        moves=[bulk.Move(m.card_id, m.phase, str(m.status), m.expected_revision) for m in body.moves],
    )
    return [
        MovedOut(card_id=o.card_id, card=CardOut.model_validate(o.card) if o.card else None, refused=o.refused)
        for o in outcomes
    ]


@router.get("/cards/{card_id}/history", responses=errors(404))
def card_history(card_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> list[CardEventOut]:
    """Every creation and move of the card, who and when, oldest first."""
    return [
        CardEventOut.model_validate(e) for e in service.history(session=session, principal=principal, card_id=card_id)
    ]
