"""The Boards pages: the list of campaign boards (and a new one), and one board: columns by phase or
by status, swimlanes by market or owner, filters; cards moved by drag and drop or from the keyboard,
each move sent with the revision the page showed, and every change by anyone shown live."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from typing import Any

import reflex as rx

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.boards import bulk, columns, service
from dam_app.boards.filters import CardFilter
from dam_app.boards.models import UNREVISED_CHANGES, Card
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.events import CardChanged
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.board_views import (
    LANES,
    PAGE,
    STATUS_NAMES,
    VIEWS,
    CardView,
    HeadView,
    LaneView,
    Layout,
    read_board_page,
)
from dam_app.ui.state.notices import news
from dam_app.ui.state.session import SessionState

ANY = "any"  # a select's "no filter" item (Radix selects cannot hold an empty value)
SAID = {
    "created": "added",
    "attached": "attached an asset to",
    "detached": "detached an asset from",
    "checklist": "ticked a step of",
}


def _move_selected(principal: Principal, moves: list[bulk.Move]) -> list[str]:
    """Why each refused move was refused ("title: why"); the others are done."""
    titles = {}
    with session_scope() as session:
        for move in moves:
            card = session.get(Card, move.card_id)
            titles[move.card_id] = card.title if card else str(move.card_id)
    return [f"{titles[o.card_id]}: {o.refused}" for o in bulk.move_many(principal=principal, moves=moves) if o.refused]


def _set_column(principal: Principal, board_id: uuid.UUID, view: str, form: dict[str, str]) -> str:
    """ "" when a column's settings are saved (a phase's dates and limits, or a status's limits in the
    status view), else why not."""

    def day(name: str) -> date | None:
        return date.fromisoformat(form[name]) if form.get(name) else None

    def limit(name: str) -> int | None:
        return int(form[name]) if form.get(name, "").strip() else None

    key = form.get("key", "")[:32]
    try:
        with session_scope() as session:
            if view == "status":
                columns.update_status_limit(
                    session=session, principal=principal, board_id=board_id, status=key,
                    soft_limit=limit("soft"), hard_limit=limit("hard"),
                )  # fmt: skip
            else:
                spec = service.ColumnSpec(key, day("starts_on"), day("ends_on"), limit("soft"), limit("hard"))
                columns.update_column(session=session, principal=principal, board_id=board_id, spec=spec)
    except ValueError:
        return "dates are YYYY-MM-DD and limits whole numbers"
    except DamError as exc:
        return exc.message
    return ""


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
    principal: Principal,
    card_id: uuid.UUID,
    phase: str,
    status: str,
    revision: int,
    below: uuid.UUID | None = None,
    top: bool = False,
) -> str:
    """ "" when moved (just below the card `below`, to the top, else to the bottom of its new place),
    else why not."""
    try:
        with session_scope() as session:
            service.move_card(
                session=session,
                principal=principal,
                card_id=card_id,
                phase=phase,
                status=status,
                after=below,
                expected_revision=revision,
                to_bottom=below is None and not top,
            )
    except DamError as exc:
        return exc.message
    return ""


class BoardState(SessionState):
    found: bool = True
    title: str = ""
    heads: list[HeadView] = []
    lanes: list[LaneView] = []
    count_text: str = ""  # "12 of 40 cards match the filters"
    nothing: bool = False  # the filters leave no card (the board has some)
    owners: list[list[str]] = []  # [id, name] for the owner filter
    market_items: list[list[str]] = []
    channel_items: list[list[str]] = []
    view: str = "phase"  # columns by phase, or by status
    lane_mode: str = "none"  # swimlanes: none, market, owner
    market: str = ""  # the filters ("" : any)
    owner: str = ""
    channel: str = ""
    due: str = ""  # "", "overdue", "week"
    mine: bool = False
    error: str = ""
    said: str = ""  # the last move, for the screen reader's live region
    dragging: str = ""
    selected: list[str] = []  # card ids picked for a bulk move
    settings_open: str = ""  # the column whose settings popover is open
    export_url: str = ""  # the board's cards as CSV
    coverage_url: str = ""
    _limits: dict[str, int] = {}  # cell id -> cards shown ("show more")
    _read_at: float = 0.0  # when the page last read the board: a live notice from before is shown already

    def _board_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(getattr(self, routes.BOARD_ID)))
        except ValueError:
            return None

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = self.said = ""
        self._limits = {}
        principal = await self._reload()
        if (board_id := self._board_id()) is not None:
            await live.follow(self, events.board_topic(board_id), principal if self.found else None, BoardState.on_live)

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """The live feed told this tab of cards added, moved, edited or deleted on its board (by
        anyone, from any page or the API): read the board again, unless the page shows those
        revisions already (the mover's own tab), and say what happened in the live region."""
        board_id = str(self._board_id())
        fresh = [n for n in news(notices, self._read_at) if n.kind == CardChanged.type and n.board_id == board_id]
        unseen = [n for n in fresh if self._changes_page(n.label, n.card_id, n.revision)]
        if not unseen:
            return
        last = unseen[-1]
        before = self._shown(last.card_id)  # a deleted card's title, before the page drops it
        await self._reload()
        now = self._shown(last.card_id) or before
        title = now.title if now is not None else "a card"
        where = f"{last.phase}, {STATUS_NAMES.get(last.status, last.status)}"
        self.said = f"{last.by or 'Someone'} {SAID.get(last.label, last.label)} {title}: {where}"

    async def _reload(self) -> Principal | None:
        principal, board_id = await self._principal(), self._board_id()
        if principal is None:
            return None
        self._read_at = time.time()
        layout = Layout(self.view, self.lane_mode, tuple(self._limits.items()))
        page = await self._blocking(read_board_page, principal, board_id, layout, self._filter()) if board_id else None
        self.found = page is not None
        if page is not None and board_id is not None:
            self.title, self.heads, self.lanes = page.title, page.heads, page.lanes
            self.owners = page.owners
            self.market_items, self.channel_items = [[m, m] for m in page.markets], [[c, c] for c in page.channels]
            self.nothing = page.shown == 0 and page.total > 0
            filtered = page.shown != page.total
            self.count_text = f"{page.shown} of {page.total} cards match the filters" if filtered else ""
            self.export_url = routes.board_export_url(board_id)
            self.coverage_url = routes.board_coverage_url(board_id)
        return principal

    def _filter(self) -> CardFilter:
        owner = uuid.UUID(self.owner) if self.owner else None
        return CardFilter(
            markets=(self.market,) if self.market else (),
            owner_id=owner,
            channels=(self.channel,) if self.channel else (),
            due_within=timedelta(days=7) if self.due == "week" else None,
            overdue=self.due == "overdue",
            mine=self.mine,
        )

    @rx.event
    @offload.guarded
    async def arrange(self, name: str, value: str):
        """A view, swimlane or filter control changed: read the board again, arranged so."""
        if name == "view" and value in VIEWS:
            self.view = value
        elif name == "lane_mode" and value in LANES:
            self.lane_mode = value
        elif name in ("market", "channel", "due"):
            setattr(self, name, "" if value == ANY else value[:64])
        elif name == "owner":
            self.owner = value if value in {o[0] for o in self.owners} else ""  # only an owner listed
        elif name == "mine":
            self.mine = value == "on"
        self._limits = {}
        await self._reload()

    @rx.event
    @offload.guarded
    async def clear_filters(self):
        self.market = self.owner = self.channel = self.due = ""
        self.mine = False
        await self._reload()

    @rx.event
    @offload.guarded
    async def show_more(self, cell: str):
        self._limits = {**self._limits, cell: self._limits.get(cell, PAGE) + PAGE * 4}
        await self._reload()

    @rx.event
    @offload.guarded
    async def add_card(self, form: dict[str, str]):
        principal, board_id = await self._principal(), self._board_id()
        if principal is None or board_id is None:
            return
        self.error = await self._blocking(_add, principal, board_id, form.get("title", ""), form.get("phase", ""))
        await self._reload()

    @rx.event
    @offload.guarded
    async def set_column(self, form: dict[str, str]):
        principal, board_id = await self._principal(), self._board_id()
        if principal is None or board_id is None:
            return
        self.error = await self._blocking(_set_column, principal, board_id, self.view, form)
        self.said = self.error or f"Saved the settings of {form.get('key', '')}"
        if not self.error:
            self.settings_open = ""
        await self._reload()

    @rx.event
    def show_settings(self, key: str, opened: bool):
        self.settings_open = key if opened else ""

    @rx.event
    def drag_start(self, card_id: str):
        self.dragging = card_id

    @rx.event
    @offload.guarded
    async def drop(self, key: str):
        """A card dropped on a column: to the bottom of that phase (keeping its status), or of that
        status (keeping its phase) in the status view."""
        card_id, self.dragging = self.dragging, ""
        if (card := self._shown(card_id)) is not None:
            await self._move_to(card, *self._target(card, key))

    @rx.event
    @offload.guarded
    async def step(self, card_id: str, delta: int):
        """Keyboard: the previous (-1) or next (+1) column of the view, at the bottom."""
        if (card := self._shown(card_id)) is None:
            return
        keys = [h.key for h in self.heads]
        index = keys.index(card.status if self.view == "status" else card.phase) + delta
        if 0 <= index < len(keys):
            await self._move_to(card, *self._target(card, keys[index]))

    @rx.event
    @offload.guarded
    async def set_status(self, card_id: str, status: str):
        if (card := self._shown(card_id)) is not None:
            await self._move_to(card, card.phase, status)

    @rx.event
    @offload.guarded
    async def drop_on(self, target_id: str):
        """A card dropped on another card: just below it, in its phase and status (also to reorder a
        column: the one row of the moved card is written)."""
        card_id, self.dragging = self.dragging, ""
        card, target = self._shown(card_id), self._shown(target_id)
        if card is not None and target is not None and card.id != target.id:
            await self._move_to(card, target.phase, target.status, below=target)

    @rx.event
    @offload.guarded
    async def nudge(self, card_id: str, delta: int):
        """Keyboard: one place up (-1) or down (+1) among the cards of its phase and status."""
        card = self._shown(card_id)
        cell = next((c for lane in self.lanes for c in lane.cells if any(v.id == card_id for v in c.cards)), None)
        if card is None or cell is None:
            return
        group = [c for c in cell.cards if (c.phase, c.status) == (card.phase, card.status)]
        index = next(i for i, c in enumerate(group) if c.id == card_id)
        if delta < 0 and index > 0:
            above = group[index - 2] if index >= 2 else None
            await self._move_to(card, card.phase, card.status, below=above, top=above is None)
        elif delta > 0 and index < len(group) - 1:
            await self._move_to(card, card.phase, card.status, below=group[index + 1])

    async def _move_to(
        self, card: CardView, phase: str, status: str, below: CardView | None = None, top: bool = False
    ) -> None:
        principal = await self._principal()
        if principal is None:
            return
        under = uuid.UUID(below.id) if below is not None else None
        self.error = await self._blocking(
            _move, principal, uuid.UUID(card.id), phase, status, card.revision, under, top
        )
        where = f"below {below.title}" if below is not None else f"to {phase}, {STATUS_NAMES.get(status, status)}"
        if top:
            where = f"to the top of {phase}, {STATUS_NAMES.get(status, status)}"
        self.said = self.error or f"Moved {card.title} {where}"
        await self._reload()

    @rx.event
    def toggle_select(self, card_id: str):
        self.selected = (
            [c for c in self.selected if c != card_id] if card_id in self.selected else [*self.selected, card_id]
        )

    @rx.event
    def clear_selection(self):
        self.selected = []

    @rx.event
    @offload.guarded
    async def move_selected(self, key: str):
        """The selected cards to the bottom of one column (a phase, or a status in the status view),
        each with the revision the page shows; a refused one is named and the others still move."""
        principal = await self._principal()
        shown = [card for card_id in self.selected if (card := self._shown(card_id)) is not None]
        if principal is None or not shown:
            return
        moves = [bulk.Move(uuid.UUID(c.id), *self._target(c, key), c.revision) for c in shown]
        refused = await self._blocking(_move_selected, principal, moves)
        moved = len(moves) - len(refused)
        self.said = f"Moved {moved} card{'s' if moved != 1 else ''} to {key}"
        if refused:
            self.said += f"; refused: {'; '.join(refused)}"
        self.error = "; ".join(refused)
        self.selected = []
        await self._reload()

    def _target(self, card: CardView, key: str) -> tuple[str, str]:
        """(phase, status) of a card put in the column `key`: a phase, or a status in the status view."""
        return (card.phase, key) if self.view == "status" else (key, card.status)

    def _changes_page(self, change: str, card_id: str, revision: int) -> bool:
        """Whether a card's change alters this page: a card it does not show yet (new, or moved into
        view), a newer revision of one it shows, a tick, attachment or deletion of one it shows.
        Changes to cards filtered out or beyond "show more" cost no read."""
        shown = self._shown(card_id)
        if change == "commented":  # the board shows no comments
            return False
        if change in UNREVISED_CHANGES:
            return shown is not None
        return shown is None or shown.revision < revision

    def _shown(self, card_id: str) -> CardView | None:
        """The card as the page shows it (its place and revision), or None."""
        return next((c for lane in self.lanes for cell in lane.cells for c in cell.cards if c.id == card_id), None)
