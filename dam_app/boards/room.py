"""Hard WIP limits, checked under a lock so two moves into the last free place take turns: a phase's
(its column) and a status's across the board (the status view's columns). A move takes the phase's
lock, then the status's, always in that order."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from dam_app.boards.models import BoardColumn, Card, StatusLimit
from dam_app.db import xact_lock
from dam_app.errors import Conflict


class ColumnFull(Conflict):
    """The target phase has reached its hard WIP limit."""


def make_room(session: Session, column: BoardColumn, *, moving: uuid.UUID | None) -> None:
    """Refuse a card into a phase at its hard limit. The lock is taken even when there is no limit
    and the limit is read under it: a limit set a moment ago (columns.py takes the same lock) is seen."""
    xact_lock(session, f"board-column:{column.id}")
    hard = session.exec(select(BoardColumn.hard_limit).where(BoardColumn.id == column.id)).first()
    if hard is None:
        return
    count = session.exec(
        select(func.count())
        .select_from(Card)
        .where(Card.board_id == column.board_id, Card.phase == column.phase, col(Card.id) != moving)
    ).one()
    if count >= hard:
        raise ColumnFull(f"{column.phase} is full: its limit is {hard} cards")


def make_status_room(session: Session, board_id: uuid.UUID, status: str, *, moving: uuid.UUID | None) -> None:
    """Refuse a card into a status at its board-wide hard limit; taken after the phase's, always, and
    read under its lock as the phase's is."""
    xact_lock(session, f"board-status:{board_id}:{status}")
    hard = session.exec(
        select(StatusLimit.hard_limit).where(StatusLimit.board_id == board_id, StatusLimit.status == status)
    ).first()
    if hard is None:
        return
    count = session.exec(
        select(func.count())
        .select_from(Card)
        .where(Card.board_id == board_id, Card.status == status, col(Card.id) != moving)
    ).one()
    if count >= hard:
        raise ColumnFull(f"{status.replace('_', ' ')} is full: its limit is {hard} cards across the board")
