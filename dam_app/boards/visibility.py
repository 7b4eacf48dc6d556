"""Who may open a board and a card: the rule every board read and every card alert applies (a small
module of its own, so the alerts can use it without the board services)."""

from __future__ import annotations

from dam_app.accounts.principal import Principal
from dam_app.boards.models import Board, Card


def sees_board(principal: Principal, board: Board) -> bool:
    return principal.can("asset.read") and principal.may_see_markets(board.markets, board.owner_id)


def sees_card(principal: Principal, board: Board, card: Card) -> bool:
    """The board, and the card's markets (else the board's), or their own card."""
    return sees_board(principal, board) and principal.may_see_markets(card.markets or board.markets, card.created_by)
