"""Admin: the review stages each market requires before a version may be used there; a tick saves
at once (audited) and the market's assets are judged again by the worker."""

from __future__ import annotations

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.review.models import ReviewStage
from dam_app.rights import policy
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState

STAGES = [s.value for s in ReviewStage]


def _rows() -> list[dict[str, str]]:
    with session_scope() as session:
        found = policy.market_stages(session=session)
    return [{"code": c, "name": n, **{s: "true" if s in required else "" for s in STAGES}} for c, n, required in found]


def _set_stages(principal: Principal, code: str, stages: list[str]) -> list[dict[str, str]]:
    with session_scope() as session:
        policy.set_review_stages(session=session, principal=principal, code=code, stages=stages)
    return _rows()


class MarketStagesState(SessionState):
    market_rows: list[dict[str, str]] = []
    stages_error: str = ""
    stages_message: str = ""

    @rx.event
    @offload.guarded
    async def load_stages(self):
        self.market_rows, self.stages_error, self.stages_message = await self._blocking(_rows), "", ""

    @rx.event
    @offload.guarded
    async def toggle_stage(self, code: str, stage: str, required: bool):
        principal = await self._principal()
        row = next((r for r in self.market_rows if r["code"] == code), None)
        if principal is None or row is None:
            return
        wanted = [s for s in STAGES if (s == stage and required) or (s != stage and row.get(s))]
        try:
            self.market_rows = await self._blocking(_set_stages, principal, code, wanted)
        except DamError as exc:
            self.stages_error, self.stages_message = f"{code} not changed: {exc.message}", ""
            return
        self.stages_error = ""
        self.stages_message = f"{code} now requires {', '.join(wanted)}; its assets are judged again."
