"""The Review page's inbox: where the reader was @mentioned, newest first, unread ones marked; every
signed-in person has one, reviewer or not."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.comments import service as comments_service
from dam_app.db import session_scope
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState


@dataclass
class MentionRow:
    url: str = ""
    title: str = ""
    by: str = ""
    excerpt: str = ""
    at: str = ""
    unread: bool = False


def _mentions(principal: Principal) -> list[MentionRow]:
    with session_scope() as session:
        found = comments_service.inbox(session=session, principal=principal)
    return [
        MentionRow(
            url=routes.asset_url(m.asset_id),
            title=m.asset_title,
            by=m.by,
            excerpt=m.excerpt,
            at=f"{m.at:%Y-%m-%d %H:%M} UTC",
            unread=not m.seen,
        )
        for m in found
    ]


def _mark_read(principal: Principal) -> list[MentionRow]:
    with session_scope() as session:
        comments_service.mark_seen(session=session, principal=principal)
    return _mentions(principal)


class InboxState(SessionState):
    mentions: list[MentionRow] = []

    @rx.event
    @offload.guarded
    async def load_inbox(self):
        principal = await self._principal()
        if principal is not None:
            self.mentions = await self._blocking(_mentions, principal)

    @rx.event
    @offload.guarded
    async def mark_all_read(self):
        principal = await self._principal()
        if principal is not None:
            self.mentions = await self._blocking(_mark_read, principal)
