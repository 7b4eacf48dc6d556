"""The Boards pages: the list of campaign boards (and a new one), and one board's columns of cards,
moved by drag and drop or from the keyboard, each move sent with the revision the page showed."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
from sqlmodel import select

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.boards import reads, service
from dam_app.boards.models import Board, Card, CardStatus
from dam_app.catalog.models import Campaign, Phase
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.events import CardChanged
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.notices import news
from dam_app.ui.state.session import SessionState

STATUS_NAMES = {s.value: s.value.replace("_", " ") for s in CardStatus}


@dataclass
class BoardItem:
    id: str
    campaign: str
    markets: str
    url: str


@dataclass
class CardView:
    id: str
    title: str
    status: str
    status_name: str
    revision: int
    markets: str
    formats: str
    due: str


@dataclass
class ColumnView:
    phase: str
    name: str
    dates: str
    load: str  # "3 cards", "5 of 4 (over the soft limit)"
    over: bool
    cards: list[CardView] = field(default_factory=list)


@dataclass
class _Read:
    title: str
    columns: list[ColumnView]


def _boards(principal: Principal) -> list[BoardItem]:
    with session_scope() as session:
        names = {c.slug: c.name for c in session.exec(select(Campaign))}
        return [
            _item(b, names.get(b.campaign, b.campaign))
            for b in reads.visible_boards(session=session, principal=principal)
        ]


def _item(board: Board, campaign: str) -> BoardItem:
    markets = ", ".join(board.markets) or "all markets"
    return BoardItem(str(board.id), campaign, markets, routes.board_url(board.id))


def _create(principal: Principal, campaign: str, markets: list[str], zone: str) -> str:
    with session_scope() as session:
        board = service.create_board(
            session=session, principal=principal, campaign=campaign, markets=markets, time_zone=zone or "UTC"
        )
        return str(board.id)


def _read(principal: Principal, board_id: uuid.UUID) -> _Read | None:
    try:
        with session_scope() as session:
            read = reads.read_board(session=session, principal=principal, board_id=board_id)
            names = {p.code: p.name for p in session.exec(select(Phase))}
            columns = [_column(c, names.get(c.column.phase, c.column.phase), read.cards) for c in read.columns]
            campaign = session.get(Campaign, read.board.campaign)
            return _Read(campaign.name if campaign else read.board.campaign, columns)
    except service.BoardNotFound:
        return None


def _column(read: reads.ColumnRead, name: str, cards: list[Card]) -> ColumnView:
    column, count = read.column, read.count
    soft, hard = column.soft_limit, column.hard_limit
    starts, ends = column.starts_on, column.ends_on
    dates = f"{starts:%b %d} - {ends:%b %d}" if starts and ends else ""
    limit = hard or soft
    load = f"{count} of {limit}" if limit else f"{count} card{'s' if count != 1 else ''}"
    if read.over_soft_limit:
        load += " (over the soft limit)"
    views = [_card(c) for c in cards if c.phase == column.phase]
    order = list(STATUS_NAMES)
    views.sort(key=lambda v: order.index(v.status))  # stable: position order kept within a status
    return ColumnView(column.phase, name, dates, load, read.over_soft_limit, views)


def _card(card: Card) -> CardView:
    return CardView(
        str(card.id),
        card.title,
        card.status,
        STATUS_NAMES.get(card.status, card.status),
        card.revision,
        ", ".join(card.markets),
        ", ".join(card.formats),
        f"due {card.due_at:%b %d %H:%M} UTC" if card.due_at else "",
    )


def _add(principal: Principal, board_id: uuid.UUID, title: str, phase: str) -> str:
    """ "" when added, else why not."""
    try:
        with session_scope() as session:
            service.add_card(
                session=session, principal=principal, board_id=board_id, fields=service.CardFields(title, phase)
            )
    except DamError as exc:
        return exc.message
    return ""


def _move(
    principal: Principal, card_id: uuid.UUID, phase: str, status: str, after: uuid.UUID | None, revision: int
) -> str:
    try:
        with session_scope() as session:
            service.move_card(
                session=session,
                principal=principal,
                card_id=card_id,
                phase=phase,
                status=status,
                after=after,
                expected_revision=revision,
            )
    except DamError as exc:
        return exc.message
    return ""


class BoardsState(SessionState):
    boards: list[BoardItem] = []
    error: str = ""

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = ""
        principal = await self._principal()
        if principal is not None:
            self.boards = await self._blocking(_boards, principal)

    @rx.event
    @offload.guarded
    async def create(self, form: dict[str, str]):
        principal = await self._principal()
        if principal is None:
            return None
        markets = [m.strip().upper() for m in form.get("markets", "").replace(",", " ").split() if m.strip()]
        try:
            board_id = await self._blocking(
                _create, principal, form.get("campaign", "").strip(), markets, form.get("time_zone", "").strip()
            )
        except DamError as exc:
            self.error = exc.message
            return None
        return rx.redirect(routes.board_url(board_id))


class BoardState(SessionState):
    found: bool = True
    title: str = ""
    columns: list[ColumnView] = []
    error: str = ""
    said: str = ""  # the last move, for the screen reader's live region
    dragging: str = ""
    _read_at: float = 0.0  # when the page last read the board: a live notice from before is shown already
    export_url: str = ""  # the board's cards as CSV

    def _board_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(getattr(self, routes.BOARD_ID)))
        except ValueError:
            return None

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = self.said = ""
        principal = await self._reload()
        if (board_id := self._board_id()) is not None:
            await live.follow(self, events.board_topic(board_id), principal if self.found else None, BoardState.on_live)

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """The live feed told this tab of cards added or moved on its board (by anyone, from any
        page or the API): read the board again, unless the page shows those revisions already (the
        mover's own tab), and say what happened in the screen reader's live region."""
        board_id = str(self._board_id())
        fresh = [n for n in news(notices, self._read_at) if n.kind == CardChanged.type and n.board_id == board_id]
        unseen = [n for n in fresh if (shown := self._shown(n.card_id)) is None or shown[1].revision < n.revision]
        if not unseen:
            return
        await self._reload()
        last = unseen[-1]
        if (now := self._shown(last.card_id)) is not None:
            where = f"{last.phase}, {STATUS_NAMES.get(last.status, last.status)}"
            self.said = (
                f"{last.by or 'Someone'} {'added' if last.label == 'created' else 'moved'} {now[1].title}: {where}"
            )

    async def _reload(self) -> Principal | None:
        principal, board_id = await self._principal(), self._board_id()
        if principal is None:
            return None
        self._read_at = time.time()
        read = await self._blocking(_read, principal, board_id) if board_id else None
        self.found = read is not None
        if read is not None and board_id is not None:
            self.title, self.columns = read.title, read.columns
            self.export_url = routes.board_export_url(board_id)
        return principal

    @rx.event
    @offload.guarded
    async def add_card(self, form: dict[str, str]):
        principal, board_id = await self._principal(), self._board_id()
        if principal is None or board_id is None:
            return
        self.error = await self._blocking(_add, principal, board_id, form.get("title", ""), form.get("phase", ""))
        await self._reload()

    @rx.event
    def drag_start(self, card_id: str):
        self.dragging = card_id

    @rx.event
    @offload.guarded
    async def drop(self, phase: str):
        """A card dropped on a column: to the bottom of that phase, keeping its status."""
        card_id, self.dragging = self.dragging, ""
        if self._shown(card_id) is not None:
            await self._move_to(card_id, phase, None, to_bottom=True)

    @rx.event
    @offload.guarded
    async def step(self, card_id: str, delta: int):
        """Keyboard: the previous (-1) or next (+1) phase, at the bottom."""
        phases = [c.phase for c in self.columns]
        if (shown := self._shown(card_id)) is None:
            return
        index = phases.index(shown[0]) + delta
        if 0 <= index < len(phases):
            await self._move_to(card_id, phases[index], None, to_bottom=True)

    @rx.event
    @offload.guarded
    async def set_status(self, card_id: str, status: str):
        if (shown := self._shown(card_id)) is not None:
            await self._move_to(card_id, shown[0], status, to_bottom=True)

    async def _move_to(self, card_id: str, phase: str, status: str | None, *, to_bottom: bool) -> None:
        principal = await self._principal()
        if principal is None:
            return
        shown = self._shown(card_id)
        if shown is None:
            return
        card = shown[1]
        status = status or card.status
        after = self._last_in(phase, status, card_id) if to_bottom else None
        self.error = await self._blocking(_move, principal, uuid.UUID(card_id), phase, status, after, card.revision)
        self.said = self.error or f"Moved {card.title} to {phase}, {STATUS_NAMES.get(status, status)}"
        await self._reload()

    def _shown(self, card_id: str) -> tuple[str, CardView] | None:
        """The card as the page shows it (its phase, revision and status), or None."""
        return next(((col.phase, c) for col in self.columns for c in col.cards if c.id == card_id), None)

    def _last_in(self, phase: str, status: str, moving: str) -> uuid.UUID | None:
        column = next((c for c in self.columns if c.phase == phase), None)
        ids = [c.id for c in column.cards if c.status == status and c.id != moving] if column else []
        return uuid.UUID(ids[-1]) if ids else None
