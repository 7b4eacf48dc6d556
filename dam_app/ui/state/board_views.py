"""What the board page shows, read in one session: columns by phase (cards grouped by status) or
by status (cards of every phase), optionally in swimlanes by market or owner, narrowed by the
viewer's filters; each cell lists its first cards and says how many more it holds, so a board of
2,000 requests renders as fast as one of 50. Times read in the viewer's zone, the owner's beside."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.boards import columns, filters, reads, service
from dam_app.boards.due import due_words
from dam_app.boards.models import Board, Card, CardStatus, StatusLimit
from dam_app.catalog.models import Campaign, Phase
from dam_app.db import session_scope
from dam_app.fields import utcnow
from dam_app.ui import routes
from dam_app.ui.state.card_views import viewer_zone

STATUS_NAMES = {s.value: s.value.replace("_", " ") for s in CardStatus}
VIEWS = ("phase", "status")
LANES = ("none", "market", "owner")
PAGE = 30  # cards a cell shows before "show more"
NO_OWNER = "No owner"


@dataclass
class CardView:
    id: str
    title: str
    url: str
    phase: str
    status: str
    status_name: str
    revision: int
    markets: str
    formats: str
    due: str
    overdue: bool
    owner: str
    progress: str  # checklist "3/6"
    attached: int


@dataclass
class HeadView:
    """A column's header: its name, dates and WIP load (every card of the phase counts)."""

    key: str  # a phase code, or a status
    name: str
    dates: str
    load: str  # "3 cards", "5 of 4 (over the soft limit)"
    over: bool
    starts: str = ""  # the column's settings as its form shows them ("" : none)
    ends: str = ""
    soft: str = ""
    hard: str = ""


@dataclass
class CellView:
    key: str  # the column's key
    lane: str
    cards: list[CardView] = field(default_factory=list)
    more: int = 0  # cards of this cell beyond those shown


@dataclass
class LaneView:
    name: str  # "" when the board has no swimlanes
    cells: list[CellView]


@dataclass
class BoardPage:
    title: str
    heads: list[HeadView]
    lanes: list[LaneView]
    shown: int  # cards that pass the filters
    total: int  # cards the viewer may see
    owners: list[list[str]]  # [id, name] of the board's owners, for the owner filter
    markets: list[str]
    channels: list[str]


@dataclass(frozen=True)
class Layout:
    view: str = "phase"
    lanes: str = "none"
    limits: tuple[tuple[str, int], ...] = ()  # cell id -> how many cards it shows


def cell_id(lane: str, key: str) -> str:
    return f"{lane}|{key}"


def read_board_page(
    principal: Principal, board_id: uuid.UUID, layout: Layout, card_filter: filters.CardFilter
) -> BoardPage | None:
    try:
        with session_scope() as session:
            return _page(session, principal, board_id, layout, card_filter)
    except service.BoardNotFound:
        return None


def _page(
    session: Session, principal: Principal, board_id: uuid.UUID, layout: Layout, card_filter: filters.CardFilter
) -> BoardPage:
    read = reads.read_board(session=session, principal=principal, board_id=board_id)
    board, now = read.board, utcnow()
    owners = _owners(session, read.cards)
    phase_names = {p.code: p.name for p in session.exec(select(Phase))}
    shown = [c for c in read.cards if card_filter.keeps(c, board, principal.user_id, now)]
    if layout.view == "status":
        limits_by_status = columns.status_limits(session=session, board_id=board.id)
        counts = columns.status_counts(session=session, board_id=board.id)  # every card: what limits count
        heads = [
            _status_head(status, name, counts.get(status, 0), limits_by_status.get(status))
            for status, name in STATUS_NAMES.items()
        ]
        order = [c.column.phase for c in read.columns]
    else:
        heads = [_head(c, phase_names.get(c.column.phase, c.column.phase)) for c in read.columns]
        order = list(STATUS_NAMES)
    limits = dict(layout.limits)
    cells: list[tuple[str, str, list[Card], int]] = []  # lane, column, the cards it shows, how many more
    for lane, cards in _lanes(shown, board, layout.lanes, owners):
        for head in heads:
            inside = [c for c in cards if (c.status if layout.view == "status" else c.phase) == head.key]
            within = (lambda c: c.phase) if layout.view == "status" else (lambda c: c.status)
            inside.sort(key=lambda c: order.index(within(c)) if within(c) in order else len(order))  # stable
            limit = limits.get(cell_id(lane, head.key), PAGE)
            cells.append((lane, head.key, inside[:limit], max(0, len(inside) - limit)))
    # Only the cards sent to the browser are dressed (due words, checklist, attachments).
    sent = list({c.id: c for _, _, cards, _ in cells for c in cards}.values())
    extras = reads.card_extras(session=session, card_ids=[c.id for c in sent])
    zone = viewer_zone(session, principal)
    views = {c.id: _card(c, board, owners, extras.get(c.id, reads.CardExtras()), zone, now) for c in sent}
    lanes: list[LaneView] = []
    for lane, key, cards, more in cells:
        if not lanes or lanes[-1].name != lane:
            lanes.append(LaneView(lane, []))
        lanes[-1].cells.append(CellView(key, lane, [views[c.id] for c in cards], more))
    campaign = session.get(Campaign, board.campaign)
    return BoardPage(
        title=campaign.name if campaign else board.campaign,
        heads=heads,
        lanes=lanes,
        shown=len(shown),
        total=len(read.cards),
        owners=sorted(([str(i), _name(u)] for i, u in owners.items()), key=lambda o: o[1].lower()),
        markets=list(board.markets) or sorted({m for c in read.cards for m in c.markets}),
        channels=sorted({ch for c in read.cards for ch in c.channels}),
    )


def _lanes(cards: list[Card], board: Board, mode: str, owners: dict[uuid.UUID, User]) -> list[tuple[str, list[Card]]]:
    """The swimlanes in order; a card asking for two markets shows in both markets' lanes."""
    if mode == "none":
        return [("", cards)]
    grouped: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        if mode == "market":
            for market in card.markets or board.markets or ["All markets"]:
                grouped[market].append(card)
        else:
            grouped[_name(owners.get(card.owner_id)) if card.owner_id else NO_OWNER].append(card)
    first = list(board.markets) if mode == "market" else []  # the board's markets in its own order

    def place(name: str) -> tuple[int, bool, str]:
        return (first.index(name) if name in first else len(first), name == NO_OWNER, name.lower())

    return sorted(grouped.items(), key=lambda lane: place(lane[0]))


def _head(read: reads.ColumnRead, name: str) -> HeadView:
    column, count = read.column, read.count
    starts, ends = column.starts_on, column.ends_on
    dates = f"{starts:%b %d} - {ends:%b %d}" if starts and ends else ""
    load, over = _load(count, column.soft_limit, column.hard_limit)
    return HeadView(
        column.phase, name, dates, load, over,
        starts=f"{starts:%Y-%m-%d}" if starts else "", ends=f"{ends:%Y-%m-%d}" if ends else "",
        soft=str(column.soft_limit or ""), hard=str(column.hard_limit or ""),
    )  # fmt: skip


def _count(n: int) -> str:
    return f"{n} card{'s' if n != 1 else ''}"


def _status_head(status: str, name: str, count: int, limit: StatusLimit | None) -> HeadView:
    soft, hard = (limit.soft_limit, limit.hard_limit) if limit else (None, None)
    return HeadView(status, name, "", *_load(count, soft, hard), soft=str(soft or ""), hard=str(hard or ""))


def _load(count: int, soft: int | None, hard: int | None) -> tuple[str, bool]:
    """ "5 of 4 (over the soft limit)", and whether it is over."""
    limit, over = hard or soft, soft is not None and count > soft
    load = f"{count} of {limit}" if limit else _count(count)
    return (load + " (over the soft limit)" if over else load), over


def _card(
    card: Card, board: Board, owners: dict[uuid.UUID, User], extras: reads.CardExtras, zone: str, now: datetime
) -> CardView:
    owner = owners.get(card.owner_id) if card.owner_id else None
    there = owner.time_zone if owner else board.time_zone  # the owner's local time, else the campaign's
    done = card.status in filters.DONE
    due = due_words(card.due_at, viewer_zone=zone, owner_zone=there, now=now, done=done) if card.due_at else ""
    return CardView(
        id=str(card.id),
        title=card.title,
        url=routes.card_url(card.id),
        phase=card.phase,
        status=card.status,
        status_name=STATUS_NAMES.get(card.status, card.status),
        revision=card.revision,
        markets=", ".join(card.markets),
        formats=", ".join(card.formats),
        due=due,
        overdue=filters.is_overdue(card, now),
        owner=_name(owner),
        progress=extras.progress,
        attached=extras.attached,
    )


def _owners(session: Session, cards: list[Card]) -> dict[uuid.UUID, User]:
    ids = {c.owner_id for c in cards if c.owner_id}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))} if ids else {}


def _name(user: User | None) -> str:
    return (user.display_name or user.email) if user else ""
