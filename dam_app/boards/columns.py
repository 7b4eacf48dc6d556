"""A phase column's dates and WIP limits, changed after the board was made. A hard limit below the
cards already in the phase is refused (it would refuse every move in until cards leave, silently);
the change is one row and is in the audit log."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, select

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.boards import service
from dam_app.boards.models import BoardColumn, Card
from dam_app.db import xact_lock
from dam_app.errors import Invalid


def update_column(
    *, session: Session, principal: Principal, board_id: uuid.UUID, spec: service.ColumnSpec
) -> BoardColumn:
    principal.require("asset.write")
    board = service.visible_board(session, principal, board_id)
    service.check_limits(spec)
    column = session.exec(
        select(BoardColumn).where(BoardColumn.board_id == board.id, BoardColumn.phase == spec.phase).with_for_update()
    ).first()
    if column is None:
        raise Invalid(f"the board has no column {spec.phase!r}")
    if spec.hard_limit is not None:
        xact_lock(session, f"board-column:{column.id}")  # the lock a move into the phase takes
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
