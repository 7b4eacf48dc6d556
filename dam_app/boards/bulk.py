"""Moving many selected cards at once: each move is its own transaction carrying its own card's
revision, so one refused move (someone was faster, a full column) leaves the others done and is
reported by name; nothing is half-moved and nobody's other moves are overwritten."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from dam_app.accounts.principal import Principal
from dam_app.boards import service
from dam_app.boards.models import Card
from dam_app.db import session_scope
from dam_app.errors import DamError, Invalid

MAX_MOVES = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Move:
    card_id: uuid.UUID
    phase: str
    status: str
    expected_revision: int


@dataclass(frozen=True)
class Outcome:
    card_id: uuid.UUID
    card: Card | None  # where it is now, when moved
    refused: str = ""  # why not, when refused


def move_many(*, principal: Principal, moves: list[Move]) -> list[Outcome]:
    """Each card to the bottom of its target column, in the order given."""
    principal.require("asset.write")
    if len(moves) > MAX_MOVES:
        raise Invalid(f"at most {MAX_MOVES} cards are moved at once")
    if len({m.card_id for m in moves}) != len(moves):
        raise Invalid("a card is named twice")
    outcomes = []
    for move in moves:
        try:
            with session_scope() as session:
                card = service.move_card(
                    session=session,
                    principal=principal,
                    card_id=move.card_id,
                    phase=move.phase,
                    status=move.status,
                    after=None,
                    expected_revision=move.expected_revision,
                    to_bottom=True,
                )
            outcomes.append(Outcome(move.card_id, card))
        except DamError as exc:
            outcomes.append(Outcome(move.card_id, None, exc.message))
        except SQLAlchemyError:  # a lock wait or a restart: this one is not moved, the others stand
            log.warning("bulk move of card %s failed", move.card_id, exc_info=True)
            outcomes.append(Outcome(move.card_id, None, "the database was busy: not moved, try again"))
    return outcomes
