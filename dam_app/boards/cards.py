"""Changing a card after it was made: edit its fields, delete it, tick a checklist step, attach or
detach an asset. Each writes the card's own rows only. An edit or a delete names the revision the
editor saw (as a move does), so a stale edit is told who changed the card instead of overwriting
them; a checklist step or an attachment is its own row and never makes a concurrent move stale."""

from __future__ import annotations

import uuid
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.classify import Classification
from dam_app.assets.ingest import IngestFields, IngestResult, Outcome, ingest_file
from dam_app.audit import service as audit_service
from dam_app.boards import checklists, service
from dam_app.boards.models import Board, Card, CardAsset, ChecklistItem
from dam_app.errors import Conflict, Invalid, NotFound
from dam_app.fields import utcnow

# What an edit may change; where a card sits is a move's business (service.move_card).
EDITABLE = ("title", "brief", "markets", "channels", "formats", "languages", "owner_id", "due_at")
CLEARABLE = ("owner_id", "due_at")  # None empties these; the others take an empty text or list


def edit_card(
    *, session: Session, principal: Principal, card_id: uuid.UUID, changes: dict[str, Any], expected_revision: int
) -> Card:
    """Change the named fields (a None due time or owner clears it), if the card is still at the
    revision the editor saw; the checks of a new card apply to the result."""
    principal.require("asset.write")
    if unknown := sorted(set(changes) - set(EDITABLE)):
        raise Invalid(f"a card's {', '.join(unknown)} cannot be edited (moves change phase and status)")
    if emptied := sorted(k for k, v in changes.items() if v is None and k not in CLEARABLE):
        raise Invalid(f"a card's {', '.join(emptied)} cannot be cleared (send an empty text or list instead)")
    board, card = _locked(session, principal, card_id, expected_revision)
    before = _fields_of(card)
    given: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    after = replace(before, **given)
    service.check_fields(session, principal, board, after, before=before)
    changed = {k: getattr(after, k) for k in EDITABLE if getattr(after, k) != getattr(before, k)}
    if not changed:
        return card
    for name, value in changed.items():
        setattr(card, name, list(value) if isinstance(value, tuple) else value)
    card.title = card.title.strip()
    _touched(card, principal)
    session.add(card)
    session.flush()
    seen_by = tuple(before.markets or board.markets)  # those who saw it before a market change
    service.note_change(session, principal, card, "edited", {"fields": sorted(changed)}, also=seen_by)
    return card


def delete_card(*, session: Session, principal: Principal, card_id: uuid.UUID, expected_revision: int) -> None:
    """Remove the request (its checklist and attachments with it; the assets stay in the library).
    The audit log keeps who deleted it; open boards drop it at once."""
    principal.require("asset.write")
    board, card = _locked(session, principal, card_id, expected_revision)
    service.tell_boards(session, principal, card, "deleted", revision=card.revision + 1)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="card.deleted",
        object_type="card",
        object_id=card.id,
        details={"title": card.title, "board": str(board.id), "phase": card.phase, "status": card.status},
    )
    session.delete(card)
    session.flush()


def change_step(
    *, session: Session, principal: Principal, item_id: uuid.UUID, change: checklists.ItemChange
) -> ChecklistItem:
    """Tick, untick, reassign or reschedule one checklist step (its row only)."""
    principal.require("asset.write")
    seen = session.get(ChecklistItem, item_id)
    if seen is None:
        raise checklists.ItemNotFound(item_id)
    try:
        board, card = held_card(session, principal, seen.card_id)
    except NotFound as exc:
        raise checklists.ItemNotFound(item_id) from exc
    row = session.get(ChecklistItem, item_id, with_for_update=True, populate_existing=True)
    if row is None:  # the card was deleted meanwhile
        raise checklists.ItemNotFound(item_id)
    if change.accountable_id is not None:
        service.check_owner(session, change.accountable_id, card.markets or board.markets)
    changed = checklists.change(session, change, row, principal.user_id)
    session.flush()
    if len(changed) > 1:
        service.note_change(session, principal, card, "checklist", dict(changed))
    return row


def attach(*, session: Session, principal: Principal, card_id: uuid.UUID, asset_id: uuid.UUID) -> CardAsset:
    """Attach a library asset to the card (again: nothing happens). It counts as reuse when the asset
    existed before the card asked for it."""
    principal.require("asset.write")
    _, card = held_card(session, principal, card_id)
    asset = assets_service.visible_asset(session, principal, asset_id)
    inserted = session.execute(
        insert(CardAsset)
        .values(
            card_id=card.id,
            asset_id=asset.id,
            reused=asset.created_at < card.created_at,
            attached_by=principal.user_id,
            attached_at=utcnow(),
        )
        .on_conflict_do_nothing()
        .returning(col(CardAsset.card_id))
    ).first()
    link = session.exec(select(CardAsset).where(CardAsset.card_id == card.id, CardAsset.asset_id == asset.id)).first()
    if link is None:
        raise Conflict("someone detached this asset from the card a moment ago: attach it again if you still want it")
    if inserted is not None:
        service.note_change(session, principal, card, "attached", {"asset": str(asset.id)})
    return link


def upload_onto(
    *, session: Session, principal: Principal, card_id: uuid.UUID, path: Path, filename: str
) -> IngestResult:
    """A file made for the request: stored as a new asset classified from the card (its markets the
    uploader works in, the campaign, the phase) and attached. A file the library holds already is
    attached as it is, so a re-upload of an old asset counts as reuse; a refused file says why."""
    principal.require("asset.write")
    board, card = service.visible_card(session, principal, card_id)
    wanted = card.markets or board.markets
    markets = list(wanted) if principal.all_regions else principal.readable_markets(wanted)
    where = Classification(markets=markets, campaign=board.campaign, phase=card.phase)
    result = ingest_file(
        session=session, principal=principal, path=path, filename=filename, fields=IngestFields(classification=where)
    )
    if result.asset_id is not None and result.outcome != Outcome.FAILED:
        try:
            attach(session=session, principal=principal, card_id=card.id, asset_id=result.asset_id)
        except NotFound:  # the library's copy is outside the uploader's markets: nothing to attach
            return replace(result, outcome=Outcome.FAILED, message=f"{result.message}; not attached")
    elif result.outcome == Outcome.DUPLICATE:  # held in markets the uploader cannot see
        return replace(result, outcome=Outcome.FAILED, message=f"{result.message}: nothing was attached")
    return result


def detach(*, session: Session, principal: Principal, card_id: uuid.UUID, asset_id: uuid.UUID) -> None:
    principal.require("asset.write")
    _, card = held_card(session, principal, card_id)
    assets_service.visible_asset(session, principal, asset_id)  # one outside your markets is not yours to drop
    gone = session.execute(
        delete(CardAsset)
        .where(col(CardAsset.card_id) == card.id, col(CardAsset.asset_id) == asset_id)
        .returning(col(CardAsset.asset_id))
    ).first()
    if gone is None:
        raise NotFound("attachment", asset_id)
    service.note_change(session, principal, card, "detached", {"asset": str(asset_id)})


def held_card(session: Session, principal: Principal, card_id: uuid.UUID) -> tuple[Board, Card]:
    """The visible card, share-locked (FOR KEY SHARE) before any of its child rows: a delete locks
    the card first too, so the two take turns instead of deadlocking; moves and edits are not held up."""
    board, _ = service.visible_card(session, principal, card_id)
    card = session.get(Card, card_id, with_for_update={"key_share": True}, populate_existing=True)
    if card is None:
        raise service.CardNotFound(card_id)
    return board, card


def _locked(session: Session, principal: Principal, card_id: uuid.UUID, expected_revision: int) -> tuple[Board, Card]:
    board, _ = service.visible_card(session, principal, card_id)
    card = session.get(Card, card_id, with_for_update=True, populate_existing=True)
    if card is None:
        raise service.CardNotFound(card_id)
    if card.revision != expected_revision:
        raise service.StaleMove(service.moved_meanwhile(session, card), card)
    return board, card


def _fields_of(card: Card) -> service.CardFields:
    values: dict[str, Any] = {}
    for f in dataclass_fields(service.CardFields):
        value = getattr(card, f.name)
        values[f.name] = tuple(value) if isinstance(value, list) else value
    return service.CardFields(**values)


def _touched(card: Card, principal: Principal) -> None:
    card.revision += 1
    card.updated_by, card.updated_at = principal.user_id, utcnow()
