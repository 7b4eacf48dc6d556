"""Which cards a board view shows: by market, owner, channel, due date, "overdue", "mine". A filter
only narrows what is shown; WIP loads always count every card of the phase."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from dam_app.boards.models import Board, Card, CardStatus

DONE = (CardStatus.APPROVED, CardStatus.LIVE)  # delivered: no longer overdue


@dataclass(frozen=True)
class CardFilter:
    markets: tuple[str, ...] = ()  # the card asks for any of these (its markets, else the board's)
    owner_id: uuid.UUID | None = None
    channels: tuple[str, ...] = ()
    due_within: timedelta | None = None  # due between now and now + this
    overdue: bool = False  # due time passed and not approved or live yet
    mine: bool = False  # owned by the viewer (or made by them, while nobody owns it)

    @property
    def active(self) -> bool:
        return self != CardFilter()

    def keeps(self, card: Card, board: Board, viewer: uuid.UUID | None, now: datetime) -> bool:
        if self.markets and not set(self.markets) & set(card.markets or board.markets):
            return False
        if self.owner_id is not None and card.owner_id != self.owner_id:
            return False
        if self.channels and not set(self.channels) & set(card.channels):
            return False
        if self.due_within is not None and (card.due_at is None or not now <= card.due_at < now + self.due_within):
            return False
        if self.overdue and not is_overdue(card, now):
            return False
        return not self.mine or (card.owner_id or card.created_by) == viewer


def is_overdue(card: Card, now: datetime) -> bool:
    return card.due_at is not None and card.due_at < now and card.status not in DONE
