"""The campaign's coverage page: a market x phase matrix of the board's requests (gap, covered,
approved) with links to the cards behind each cell, and how many requests reuse fulfilled."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.boards import coverage, service
from dam_app.catalog.models import Campaign
from dam_app.db import session_scope
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState


@dataclass
class LinkView:
    title: str
    url: str


@dataclass
class CellView:
    state: str  # none, gap, covered, approved
    text: str  # "2 gaps of 3"
    cards: list[LinkView] = field(default_factory=list)


@dataclass
class RowView:
    market: str
    cells: list[CellView]


@dataclass
class _Read:
    title: str
    board_url: str
    phases: list[str]
    rows: list[RowView]
    summary: str


def _text(cell: coverage.Cell) -> str:
    if not cell.cards:
        return "no request"
    if cell.gaps:
        return f"{cell.gaps} of {len(cell.cards)} without an asset"
    return f"{cell.approved} of {len(cell.cards)} approved"


def _read(principal: Principal, board_id: uuid.UUID) -> _Read | None:
    try:
        with session_scope() as session:
            read = coverage.campaign_coverage(session=session, principal=principal, board_id=board_id)
            campaign = session.get(Campaign, read.board.campaign)
            name = campaign.name if campaign else read.board.campaign
    except service.BoardNotFound:
        return None
    rows = [
        RowView(
            market,
            [
                CellView(cell.state, _text(cell), [LinkView(c.title, routes.card_url(c.id)) for c in cell.cards])
                for cell in (read.cells[(market, phase)] for phase in read.phases)
            ],
        )
        for market in read.markets
    ]
    share = f"{read.reuse_share:.0%}"
    summary = (
        f"{read.requests} requests · {read.with_assets} with an asset attached · "
        f"{read.reused} fulfilled by reuse ({share})"
    )
    return _Read(name, routes.board_url(board_id), read.phases, rows, summary)


class CoverageState(SessionState):
    found: bool = True
    title: str = ""
    board_url: str = ""
    phases: list[str] = []
    rows: list[RowView] = []
    summary: str = ""

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        try:
            board_id = uuid.UUID(str(getattr(self, routes.BOARD_ID)))
        except ValueError:
            self.found = False
            return
        if principal is None:
            return
        read = await self._blocking(_read, principal, board_id)
        self.found = read is not None
        if read is not None:
            self.title, self.board_url, self.phases = read.title, read.board_url, read.phases
            self.rows, self.summary = read.rows, read.summary
