"""The Review page: the current versions in the reviewer's markets that wait for their decision,
oldest first, with what they wait for and how many compliance findings are open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.db import session_scope
from dam_app.review import queue
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.inbox import InboxState
from dam_app.ui.state.session import SessionState

PAGE = 50


@dataclass
class QueueRow:
    url: str = ""
    title: str = ""
    version: str = ""
    awaiting: str = ""  # "CN: legal, market"
    findings: str = ""  # "2 open findings", or ""
    waiting: str = ""  # "3 days"


def _read(principal: Principal, offset: int) -> queue.Queue | None:
    try:
        with session_scope() as session:
            return queue.awaiting_me(session=session, principal=principal, limit=PAGE, offset=offset)
    except PermissionDenied:
        return None


def _waiting(since: datetime, now: datetime) -> str:
    hours = max(0, int((now - since).total_seconds() // 3600))
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hours"


def _rows(found: queue.Queue) -> list[QueueRow]:
    now = datetime.now(UTC)
    rows = []
    for item in found.items:
        by_market: dict[str, list[str]] = {}
        for market, stage in item.awaiting:
            by_market.setdefault(market, []).append(stage)
        rows.append(
            QueueRow(
                url=routes.asset_url(item.asset_id),
                title=item.title,
                version=item.version,
                awaiting="; ".join(f"{m}: {', '.join(stages)}" for m, stages in by_market.items()),
                findings=f"{item.open_findings} open finding{'s' if item.open_findings != 1 else ''}"
                if item.open_findings
                else "",
                waiting=_waiting(item.since, now),
            )
        )
    return rows


class ReviewQueueState(SessionState):
    rows: list[QueueRow] = []
    total: int = 0
    offset: int = 0
    denied: bool = False

    @rx.event
    @offload.guarded
    async def load(self):
        self.offset = 0
        await self._load_page()
        return InboxState.load_inbox

    async def _load_page(self) -> None:
        principal = await self._principal()
        if principal is None:
            return
        found = await self._blocking(_read, principal, self.offset)
        self.denied = found is None
        if found is not None:
            self.rows, self.total = _rows(found), found.total

    @rx.event
    @offload.guarded
    async def next_page(self):
        if self.offset + PAGE < self.total:
            self.offset += PAGE
            await self._load_page()

    @rx.event
    @offload.guarded
    async def previous_page(self):
        if self.offset:
            self.offset = max(0, self.offset - PAGE)
            await self._load_page()
