"""Boards and cards: create, read, and move without ever losing a move.

A move is one UPDATE of the card's own row, guarded by the revision the mover saw: a second person
moving the same card a moment later is told who moved it and where it is now, and nothing else on
the board is touched. A hard WIP limit is checked under a lock on the target column's capacity, so
two moves into the last free place cannot both succeed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dam_app.accounts import service as accounts_service
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.boards import checklists, ordering, room, visibility
from dam_app.boards.models import MAX_BRIEF, Board, BoardColumn, Card, CardEvent, CardStatus
from dam_app.catalog import service as catalog_service
from dam_app.catalog.models import Phase
from dam_app.db import xact_lock
from dam_app.errors import Conflict, Invalid, NotFound
from dam_app.events import Audience, CardChanged
from dam_app.fields import utcnow
from dam_app.reactions import publish_on_commit

FORMATS = ("1:1", "4:5", "9:16", "1.91:1", "16:9")
STATUSES = tuple(CardStatus)
MAX_LIMIT = 100_000  # cards in a WIP limit
DUE_GRACE = timedelta(minutes=5)  # a form filled in slowly may name a time a moment ago


class BoardNotFound(NotFound):
    def __init__(self, ref: object = None) -> None:
        super().__init__("board", ref)


class CardNotFound(NotFound):
    def __init__(self, ref: object = None) -> None:
        super().__init__("card", ref)
        self.message = "no such card: it may have been deleted"
        self.args = (self.message,)


class StaleMove(Conflict):
    """Someone changed the card since the mover saw it; `card` is where it is now."""

    def __init__(self, message: str, card: Card) -> None:
        super().__init__(message)
        self.card = card


@dataclass(frozen=True)
class ColumnSpec:
    phase: str
    starts_on: date | None = None
    ends_on: date | None = None
    soft_limit: int | None = None
    hard_limit: int | None = None


@dataclass(frozen=True)
class CardFields:
    title: str
    phase: str
    status: str = CardStatus.REQUESTED
    brief: str = ""
    markets: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    owner_id: uuid.UUID | None = None
    due_at: datetime | None = None


def create_board(
    *,
    session: Session,
    principal: Principal,
    campaign: str,
    markets: list[str],
    time_zone: str = "UTC",
    event_date: date | None = None,
    columns: list[ColumnSpec] | None = None,
) -> Board:
    """The board of a campaign (made on first use), one column per phase in the catalogue's order."""
    principal.require("asset.write")
    principal.require_markets(markets)
    _zone(time_zone)
    slug = catalog_service.ensure_campaign(session=session, name=campaign)
    if session.exec(select(Board).where(Board.campaign == slug)).first() is not None:
        raise Conflict(f"the campaign {campaign!r} already has a board")
    phases = [p.code for p in session.exec(select(Phase).order_by(col(Phase.position)))]
    specs = {spec.phase: spec for spec in columns or []}
    if unknown := sorted(set(specs) - set(phases)):
        raise Invalid(f"no such phase: {', '.join(unknown)}")
    board = Board(
        campaign=slug, markets=list(markets), time_zone=time_zone, event_date=event_date, owner_id=principal.user_id
    )
    session.add(board)
    session.flush()
    for phase in phases:
        spec = specs.get(phase, ColumnSpec(phase))
        check_limits(spec)
        session.add(BoardColumn(board_id=board.id, **spec.__dict__))
    audit_service.record(
        session=session, actor_id=principal.user_id, action="board.create", object_type="board", object_id=board.id
    )
    session.flush()
    return board


def visible_board(session: Session, principal: Principal, board_id: uuid.UUID) -> Board:
    principal_reads(principal)
    board = session.get(Board, board_id)
    if board is None or not visibility.sees_board(principal, board):
        raise BoardNotFound(board_id)
    return board


def principal_reads(principal: Principal) -> None:
    if not principal.can("asset.read"):
        raise BoardNotFound()


def columns_of(session: Session, board_id: uuid.UUID) -> list[BoardColumn]:
    order = select(Phase.position).where(Phase.code == BoardColumn.phase).scalar_subquery()
    return list(session.exec(select(BoardColumn).where(BoardColumn.board_id == board_id).order_by(order)))


def cards_of(session: Session, principal: Principal, board: Board) -> list[Card]:
    """The cards the viewer may see (a card's markets, else the board's), in board order."""
    cards = session.exec(
        select(Card).where(Card.board_id == board.id).order_by(col(Card.phase), col(Card.status), col(Card.position))
    )
    return [c for c in cards if principal.may_see_markets(c.markets or board.markets, c.created_by)]


def add_card(*, session: Session, principal: Principal, board_id: uuid.UUID, fields: CardFields) -> Card:
    """A new request at the bottom of its phase and status."""
    principal.require("asset.write")
    board = visible_board(session, principal, board_id)
    check_fields(session, principal, board, fields)
    xact_lock(session, _order_lock(board.id, fields.phase, fields.status))  # two adds get two keys
    column = _column(session, board.id, fields.phase)
    room.make_room(session, column, moving=None)
    room.make_status_room(session, board.id, fields.status, moving=None)
    card = Card(
        board_id=board.id,
        phase=fields.phase,
        status=fields.status,
        position=ordering.between(_last_key(session, board.id, fields.phase, fields.status), None),
        title=fields.title.strip(),
        brief=fields.brief,
        markets=list(fields.markets),
        channels=list(fields.channels),
        formats=list(fields.formats),
        languages=list(fields.languages),
        owner_id=fields.owner_id,
        due_at=fields.due_at,
        created_by=principal.user_id,
        updated_by=principal.user_id,
    )
    session.add(card)
    session.flush()
    checklists.seed(session, card)
    note_change(session, principal, card, "created", {"phase": card.phase, "status": card.status})
    return card


def move_card(
    *,
    session: Session,
    principal: Principal,
    card_id: uuid.UUID,
    phase: str,
    status: str,
    after: uuid.UUID | None,
    expected_revision: int,
    to_bottom: bool = False,
) -> Card:
    """Put the card below `after` (None: at the top; `to_bottom`: below every other card, as they are
    now rather than as the mover's screen had them) in `phase` / `status`, if it is still at the
    revision the mover saw; one row written (a rebalance of a crowded column aside)."""
    principal.require("asset.write")
    board, _ = visible_card(session, principal, card_id)
    if status not in STATUSES:
        raise Invalid(f"no such status {status!r}: one of {', '.join(STATUSES)}")
    # Locks always in this order: the target column's order, its capacity, then the card's own row.
    xact_lock(session, _order_lock(board.id, phase, status))
    card = session.get(Card, card_id, with_for_update=True, populate_existing=True)
    if card is None:
        raise CardNotFound(card_id)
    if card.revision != expected_revision:
        raise StaleMove(moved_meanwhile(session, card), card)
    column = _column(session, board.id, phase)
    if phase != card.phase:
        room.make_room(session, column, moving=card.id)
    if status != card.status:
        room.make_status_room(session, board.id, status, moving=card.id)
    if to_bottom:
        before_key, after_key = _last_key(session, board.id, phase, status, other_than=card.id), None
    else:
        before_key, after_key = _neighbours(session, card, phase, status, after)
    key = ordering.between(before_key, after_key)
    origin = {"phase": card.phase, "status": card.status}
    card.phase, card.status, card.position = phase, status, key
    card.revision += 1
    card.updated_by, card.updated_at = principal.user_id, utcnow()
    session.add(card)
    session.flush()
    if ordering.too_long(key):
        _rebalance(session, board.id, phase, status)
    note_change(session, principal, card, "moved", {"from": origin, "to": {"phase": phase, "status": status}})
    return card


def visible_card(session: Session, principal: Principal, card_id: uuid.UUID) -> tuple[Board, Card]:
    """The card and its board, if the caller may see them (a card's markets, else the board's)."""
    card = session.get(Card, card_id)
    if card is None:
        raise CardNotFound(card_id)
    board = visible_board(session, principal, card.board_id)
    if not visibility.sees_card(principal, board, card):
        raise CardNotFound(card_id)
    return board, card


def history(*, session: Session, principal: Principal, card_id: uuid.UUID) -> list[CardEvent]:
    visible_card(session, principal, card_id)
    return list(session.exec(select(CardEvent).where(CardEvent.card_id == card_id).order_by(col(CardEvent.id))))


def _neighbours(
    session: Session, card: Card, phase: str, status: str, after: uuid.UUID | None
) -> tuple[str | None, str | None]:
    """The keys just above and below the drop point, read now (not as the mover's screen had them)."""
    place = (Card.board_id == card.board_id, Card.phase == phase, Card.status == status, Card.id != card.id)
    above: str | None = None
    if after is not None:
        anchor = session.get(Card, after)
        if anchor is None or (anchor.board_id, anchor.phase, anchor.status) != (card.board_id, phase, status):
            raise Invalid("the card to drop below is not in that column (any more); reload the board")
        above = anchor.position
    below_query = select(Card.position).where(*place)
    if above is not None:
        below_query = below_query.where(col(Card.position) > above)
    below = session.exec(below_query.order_by(col(Card.position)).limit(1)).first()
    return above, below


def _last_key(
    session: Session, board_id: uuid.UUID, phase: str, status: str, other_than: uuid.UUID | None = None
) -> str | None:
    place = (Card.board_id == board_id, Card.phase == phase, Card.status == status, col(Card.id) != other_than)
    return session.exec(select(func.max(Card.position)).where(*place)).first()


def _rebalance(session: Session, board_id: uuid.UUID, phase: str, status: str) -> None:
    """Write the column's keys afresh, evenly spaced (rare: after many drops between the same two);
    the caller holds the column's order lock."""
    ids = session.exec(
        select(Card.id)
        .where(Card.board_id == board_id, Card.phase == phase, Card.status == status)
        .order_by(col(Card.position))
    ).all()
    for card_id, key in zip(ids, ordering.evenly(len(ids)), strict=True):
        session.execute(update(Card).where(col(Card.id) == card_id).values(position=key))


def _order_lock(board_id: uuid.UUID, phase: str, status: str) -> str:
    """Moves and adds into one column take turns, so each reads its neighbours as they are."""
    return f"board-order:{board_id}:{phase}:{status}"


def _column(session: Session, board_id: uuid.UUID, phase: str) -> BoardColumn:
    column = session.exec(
        select(BoardColumn).where(BoardColumn.board_id == board_id, BoardColumn.phase == phase)
    ).first()
    if column is None:
        raise Invalid(f"the board has no column {phase!r} (any more)")
    return column


def moved_meanwhile(session: Session, card: Card) -> str:
    who = session.get(User, card.updated_by) if card.updated_by else None
    name = (who.display_name or who.email) if who else "someone"
    seconds = max(0, int((utcnow() - card.updated_at).total_seconds()))
    when = f"{seconds} s ago" if seconds < 120 else f"{seconds // 60} min ago"
    return f"{name} changed this card {when}: it is now in {card.phase} / {card.status.replace('_', ' ')}"


def check_fields(
    session: Session, principal: Principal, board: Board, fields: CardFields, *, before: CardFields | None = None
) -> None:
    """A new card's fields, or an edit's result (`before`: the card as it was, so only what the edit
    changes is checked again: a past due time, an owner since disabled, a market the editor does
    not work in that was there already, all stay as they were)."""
    if not fields.title.strip():
        raise Invalid("a card needs a title")
    if len(fields.title) > 300:
        raise Invalid("the title is longer than 300 characters")
    if len(fields.brief) > MAX_BRIEF:
        raise Invalid(f"the brief is longer than {MAX_BRIEF:,} characters")
    if fields.status not in STATUSES:
        raise Invalid(f"no such status {fields.status!r}: one of {', '.join(STATUSES)}")
    if bad := sorted(set(fields.formats) - set(FORMATS)):
        raise Invalid(f"unknown format(s) {', '.join(bad)}: use {', '.join(FORMATS)}")
    principal.require_markets(sorted(set(fields.markets) ^ set(before.markets if before else ())))  # added or dropped
    if board.markets and (outside := sorted(set(fields.markets) - set(board.markets))):
        raise Invalid(f"the board does not cover market(s) {', '.join(outside)}")
    if before is None or (fields.owner_id, fields.markets) != (before.owner_id, before.markets):
        check_owner(session, fields.owner_id, list(fields.markets) or board.markets)
    if fields.due_at is not None and fields.due_at.tzinfo is None:
        raise Invalid("a due time needs a time zone (or UTC)")
    due_changed = before is None or fields.due_at != before.due_at
    if due_changed and fields.due_at is not None and fields.due_at < utcnow() - DUE_GRACE:
        raise Invalid(f"the due time {fields.due_at:%Y-%m-%d %H:%M} UTC has passed already")


def check_owner(session: Session, owner_id: uuid.UUID | None, markets: list[str]) -> None:
    """An owner must exist, be active and work in the card's markets (else they could not open it)."""
    if owner_id is None:
        return
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise Invalid("no such owner (or the account is disabled)")
    if not accounts_service.principal_for(session=session, user=owner).may_see_markets(markets):
        raise Invalid(f"{owner.display_name or owner.email} does not work in {', '.join(markets)}: pick another owner")


def check_limits(spec: ColumnSpec) -> None:
    for name, value in (("soft", spec.soft_limit), ("hard", spec.hard_limit)):
        if value is not None and not 1 <= value <= MAX_LIMIT:
            raise Invalid(f"a {name} limit is a whole number from 1 to {MAX_LIMIT:,}")
    if spec.starts_on and spec.ends_on and spec.ends_on < spec.starts_on:
        raise Invalid(f"{spec.phase} ends before it starts")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {name!r}") from exc


def note_change(
    session: Session,
    principal: Principal,
    card: Card,
    action: str,
    details: dict[str, object],
    *,
    also: tuple[str, ...] = (),
) -> None:
    """The card's history, the audit log, and (once committed) the board's open pages (`also`: the
    markets that saw the card before an edit moved it out of theirs, so their pages drop it)."""
    session.add(CardEvent(card_id=card.id, actor_id=principal.user_id, action=action, details=details))
    tell_boards(session, principal, card, action, also=also)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=f"card.{action}",
        object_type="card",
        object_id=card.id,
        details={k: str(v) for k, v in details.items()},
    )


def tell_boards(
    session: Session,
    principal: Principal,
    card: Card,
    action: str,
    *,
    revision: int | None = None,
    also: tuple[str, ...] = (),
) -> None:
    """Once committed, every open page of the card's board hears of the change (those who may see it)."""
    board = session.get(Board, card.board_id)
    markets = tuple(card.markets or (board.markets if board is not None else ()))
    markets += tuple(m for m in also if m not in markets)
    publish_on_commit(
        session,
        CardChanged(
            board_id=card.board_id, card_id=card.id, change=action, phase=card.phase, status=card.status,
            revision=card.revision if revision is None else revision, by=principal.display_name or principal.email,
            audience=Audience(markets, card.created_by),
        ),
    )  # fmt: skip
