"""A card's checklist: the seed's steps (collection, translation, localization, version control,
compliance check, tracking), each with the person accountable and its own due time. Ticking or
reassigning a step writes that step's row only: the card's revision is left alone, so a teammate
moving the card at the same moment is never told their move is stale."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from dam_app.boards.models import CHECKLIST_SEED, Card, ChecklistItem
from dam_app.errors import Invalid, NotFound
from dam_app.fields import utcnow


class ItemNotFound(NotFound):
    def __init__(self, ref: object = None) -> None:
        super().__init__("checklist item", ref)


@dataclass(frozen=True)
class ItemChange:
    """What to change on a step; None leaves a value as it is (clear_* empties it)."""

    done: bool | None = None
    accountable_id: uuid.UUID | None = None
    clear_accountable: bool = False
    due_at: datetime | None = None
    clear_due: bool = False


def seed(session: Session, card: Card) -> None:
    """A new card's steps: accountable is the card's owner and each step is due when the card is."""
    for position, label in enumerate(CHECKLIST_SEED):
        session.add(
            ChecklistItem(
                card_id=card.id, position=position, label=label, accountable_id=card.owner_id, due_at=card.due_at
            )
        )


def items_of(session: Session, card_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[ChecklistItem]]:
    """Each card's steps in order, in one query."""
    found: dict[uuid.UUID, list[ChecklistItem]] = {card_id: [] for card_id in card_ids}
    if card_ids:
        rows = session.exec(
            select(ChecklistItem)
            .where(col(ChecklistItem.card_id).in_(card_ids))
            .order_by(col(ChecklistItem.card_id), col(ChecklistItem.position))
        )
        for item in rows:
            found[item.card_id].append(item)
    return found


def change(session: Session, item: ItemChange, row: ChecklistItem, by: uuid.UUID | None) -> dict[str, str]:
    """Apply `item` to the locked `row`; what changed, in words, for the card's history."""
    changed: dict[str, str] = {"step": row.label}
    if item.done is not None and item.done != (row.done_at is not None):
        row.done_at, row.done_by = (utcnow(), by) if item.done else (None, None)
        changed["done"] = "yes" if item.done else "no"
    if item.clear_accountable or item.accountable_id is not None:
        row.accountable_id = None if item.clear_accountable else item.accountable_id
        changed["accountable"] = str(row.accountable_id or "nobody")
    if item.clear_due or item.due_at is not None:
        if item.due_at is not None and item.due_at.tzinfo is None:
            raise Invalid("a due time needs a time zone (or UTC)")
        row.due_at = None if item.clear_due else item.due_at
        changed["due"] = f"{row.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if row.due_at else "none"
    session.add(row)
    return changed
