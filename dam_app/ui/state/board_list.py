"""The Boards page: the campaign boards of the viewer's markets, and a new one, made afresh or
copied from a past campaign with its dates shifted to the new event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import reflex as rx
from sqlmodel import select

from dam_app.accounts.principal import Principal
from dam_app.boards import reads, service, templates
from dam_app.boards.models import Board
from dam_app.catalog.models import Campaign
from dam_app.db import session_scope
from dam_app.errors import DamError, Invalid
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState

NO_TEMPLATE = "any"  # the template select's "none" item (Radix selects cannot hold an empty value)


@dataclass
class BoardItem:
    id: str
    campaign: str
    markets: str
    url: str


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


def _board_ref(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise service.BoardNotFound(text) from exc


def _create(principal: Principal, form: dict[str, str]) -> str:
    """The new board's id: made afresh, or copied from a template board with its dates shifted."""
    campaign, zone = form.get("campaign", "").strip(), form.get("time_zone", "").strip()
    markets = [m.strip().upper() for m in form.get("markets", "").replace(",", " ").split() if m.strip()]
    template = form.get("template", "")
    try:
        event_date = date.fromisoformat(form["event_date"]) if form.get("event_date") else None
    except ValueError as exc:
        raise Invalid("the event date is not a date") from exc
    with session_scope() as session:
        if template and template != NO_TEMPLATE:
            if event_date is None:
                raise Invalid("a board from a template needs the new event date, to shift the template's dates")
            board = templates.copy_board(
                session=session,
                principal=principal,
                template_id=_board_ref(template),
                campaign=campaign,
                event_date=event_date,
                time_zone=zone or None,
            )
        else:
            board = service.create_board(
                session=session,
                principal=principal,
                campaign=campaign,
                markets=markets,
                time_zone=zone or "UTC",
                event_date=event_date,
            )
        return str(board.id)


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
        try:
            board_id = await self._blocking(_create, principal, form)
        except DamError as exc:
            self.error = exc.message
            return None
        return rx.redirect(routes.board_url(board_id))
