"""Near-duplicate groups: the same picture stored more than once, for the caller's markets."""

from __future__ import annotations

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.search import similar as similar_service
from dam_app.ui.state import offload
from dam_app.ui.state.cards import card_item
from dam_app.ui.state.session import SessionState


def _groups(principal: Principal) -> list[dict[str, object]]:
    with session_scope() as session:
        found = similar_service.duplicate_groups(session=session, principal=principal)
    return [
        {
            "size": str(len(group.cards)),
            "similarity": f"{group.lowest_similarity:.2f}",
            "assets": [card_item(card) for card in group.cards],
        }
        for group in found
    ]


class DuplicatesState(SessionState):
    groups: list[dict[str, object]] = []

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return
        self.groups = await self._blocking(_groups, principal)
