"""A phase column's dates and WIP limits, changed after the board was made. A hard limit below the
cards already in the phase is refused (it would refuse every move in until cards leave, silently);
the change is one row and is in the audit log."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, select

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.boards import service
from dam_app.boards.models import Board, BoardColumn, Card, StatusLimit
from dam_app.db import xact_lock
from dam_app.errors import Invalid, NotFound


def update_column(
    *, session: Session, principal: Principal, board_id: uuid.UUID, spec: service.ColumnSpec
) -> BoardColumn:
    principal.require("asset.write")
    board = _shared_board(session, principal, board_id)
    service.check_limits(spec)
    found = session.exec(
        select(BoardColumn.id).where(BoardColumn.board_id == board.id, BoardColumn.phase == spec.phase)
    ).first()
    if found is None:
        raise NotFound("column", spec.phase)
    xact_lock(session, f"board-column:{found}")  # the lock a move into the phase takes, first
    column = session.get(BoardColumn, found, with_for_update=True, populate_existing=True)
    assert column is not None  # columns go with their board
    if spec.hard_limit is not None:
        count = session.exec(
            select(func.count()).select_from(Card).where(Card.board_id == board.id, Card.phase == spec.phase)
        ).one()
        if count > spec.hard_limit:
            raise Invalid(
                f"{spec.phase} holds {count} cards: a hard limit of {spec.hard_limit} would refuse every move in; "
                f"move cards out first or set at least {count}"
            )
    column.starts_on, column.ends_on = spec.starts_on, spec.ends_on
    column.soft_limit, column.hard_limit = spec.soft_limit, spec.hard_limit
    session.add(column)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="board.column",
        object_type="board",
        object_id=board.id,
        details={k: str(v) for k, v in spec.__dict__.items()},
    )
    session.flush()
    return column


def update_status_limit(
    *,
    session: Session,
    principal: Principal,
    board_id: uuid.UUID,
    status: str,
    soft_limit: int | None,
    hard_limit: int | None,
) -> StatusLimit:
    """A status's WIP limits across the board's phases (both None: no limit)."""
    principal.require("asset.write")
    board = _shared_board(session, principal, board_id)
    if status not in service.STATUSES:
        raise NotFound("status", status)
    service.check_limits(service.ColumnSpec(status, soft_limit=soft_limit, hard_limit=hard_limit))
    xact_lock(session, f"board-status:{board.id}:{status}")  # the lock a move into the status takes
    if hard_limit is not None:
        count = session.exec(
            select(func.count()).select_from(Card).where(Card.board_id == board.id, Card.status == status)
        ).one()
        if count > hard_limit:
            raise Invalid(
                f"{status.replace('_', ' ')} holds {count} cards: a hard limit of {hard_limit} would refuse every "
                f"move in; move cards on first or set at least {count}"
            )
    values = {"soft_limit": soft_limit, "hard_limit": hard_limit}
    session.execute(  # one row, written in place: two people setting it at once cannot collide
        insert(StatusLimit)
        .values(board_id=board.id, status=status, **values)
        .on_conflict_do_update(index_elements=["board_id", "status"], set_=values)
    )
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="board.status_limit",
        object_type="board",
        object_id=board.id,
        details={"status": status, "soft_limit": str(soft_limit), "hard_limit": str(hard_limit)},
    )
    session.flush()
    limit = session.get(StatusLimit, (board.id, status), populate_existing=True)
    assert limit is not None
    return limit


def _shared_board(session: Session, principal: Principal, board_id: uuid.UUID) -> Board:
    """A board's columns and limits are everyone's on it: only someone working in all its markets
    (as its creator had to) changes them."""
    board = service.visible_board(session, principal, board_id)
    principal.require_markets(board.markets)
    return board


def status_limits(*, session: Session, board_id: uuid.UUID) -> dict[str, StatusLimit]:
    return {s.status: s for s in session.exec(select(StatusLimit).where(StatusLimit.board_id == board_id))}


def status_counts(*, session: Session, board_id: uuid.UUID) -> dict[str, int]:
    """Cards per status, all of them (what the status limits count), in one query."""
    rows = session.exec(select(Card.status, func.count()).where(Card.board_id == board_id).group_by(Card.status))
    return {status: int(count) for status, count in rows.all()}
