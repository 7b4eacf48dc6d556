"""Reading a board as its pages show it: the boards a person may open, each column's load against
its WIP limits (every card counts, also those outside the viewer's markets), and the visible cards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.assets.dimensions import overlaps
from dam_app.boards.models import Board, BoardColumn, Card, CardAsset, ChecklistItem
from dam_app.boards.service import cards_of, columns_of, visible_board


def visible_boards(*, session: Session, principal: Principal) -> list[Board]:
    """The boards whose markets the caller works in, newest first."""
    if not principal.can("asset.read"):
        return []
    boards = session.exec(select(Board).order_by(col(Board.created_at).desc()))
    return [b for b in boards if principal.may_see_markets(b.markets, b.owner_id)]


def column_counts(*, session: Session, board_id: uuid.UUID) -> dict[str, int]:
    """Cards per phase, all of them (what the WIP limits count), in one query."""
    rows = session.exec(select(Card.phase, func.count()).where(Card.board_id == board_id).group_by(Card.phase))
    return {phase: int(count) for phase, count in rows.all()}


@dataclass(frozen=True)
class ColumnRead:
    column: BoardColumn
    count: int  # every card in the phase (what the limits count), also those the viewer may not see

    @property
    def over_soft_limit(self) -> bool:
        return self.column.soft_limit is not None and self.count > self.column.soft_limit


@dataclass(frozen=True)
class BoardRead:
    board: Board
    columns: list[ColumnRead]
    cards: list[Card]  # the ones the viewer may see, in board order


def read_board(*, session: Session, principal: Principal, board_id: uuid.UUID) -> BoardRead:
    """What the board page and the API show: its columns with their load, and the visible cards."""
    board = visible_board(session, principal, board_id)
    counts = column_counts(session=session, board_id=board.id)
    columns = [ColumnRead(c, counts.get(c.phase, 0)) for c in columns_of(session, board.id)]
    return BoardRead(board, columns, cards_of(session, principal, board))


@dataclass(frozen=True)
class CardExtras:
    """What a card on the board shows beside its title: checklist progress and attached assets."""

    steps: int = 0
    done: int = 0
    attached: int = 0

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.steps}" if self.steps else ""


def card_extras(*, session: Session, card_ids: list[uuid.UUID]) -> dict[uuid.UUID, CardExtras]:
    """These cards' checklist progress and attachment counts, in two grouped queries (a board page
    asks for the cards it shows only)."""
    if not card_ids:
        return {}
    steps = session.exec(
        select(ChecklistItem.card_id, func.count(), func.count(col(ChecklistItem.done_at)))
        .where(col(ChecklistItem.card_id).in_(card_ids))
        .group_by(col(ChecklistItem.card_id))
    ).all()
    attached = dict(
        session.exec(
            select(CardAsset.card_id, func.count())
            .where(col(CardAsset.card_id).in_(card_ids))
            .group_by(col(CardAsset.card_id))
        ).all()
    )
    found = {card: CardExtras(int(total), int(done), int(attached.get(card, 0))) for card, total, done in steps}
    for card_id, count in attached.items():
        found.setdefault(card_id, CardExtras(attached=int(count)))
    return found


PEOPLE_LISTED = 200


def assignable_people(*, session: Session, markets: list[str]) -> list[User]:
    """Active people who work in any of these markets (or in all): whom a card's owner and checklist
    steps may name, by name (at most PEOPLE_LISTED; `check_owner` is the rule, this is the list)."""
    scope = or_(col(User.all_regions), overlaps(User.region_codes, markets)) if markets else col(User.all_regions)
    query = select(User).where(col(User.is_active), scope).order_by(func.lower(User.display_name), col(User.email))
    return list(session.exec(query.limit(PEOPLE_LISTED)))
