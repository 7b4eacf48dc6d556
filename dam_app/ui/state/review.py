"""The review panel of an asset page: decisions on the current version, and approve / reject for
reviewers in the markets they are scoped to."""

from __future__ import annotations

import uuid

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.db import session_scope
from dam_app.review import service as review_service
from dam_app.review.models import ReviewStage
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState

STAGES = [s.value for s in ReviewStage]


def _record(principal: Principal, asset_id: uuid.UUID, market: str, stage: str, decision: str, note: str) -> None:
    with session_scope() as session:
        review_service.record_decision(
            session=session,
            principal=principal,
            asset_id=asset_id,
            market=market,
            stage=stage,
            decision=decision,
            note=note,
        )


def _asset_and_decisions(
    principal: Principal, asset_id: uuid.UUID
) -> tuple[assets_service.Asset, list[review_service.ApprovalView]]:
    with session_scope() as session:
        asset = assets_service.visible_asset(session, principal, asset_id)
        return asset, review_service.approvals_for(session=session, principal=principal, asset_id=asset_id)


class ReviewState(SessionState):
    decisions: list[dict[str, str]] = []
    states: str = ""
    can_review: bool = False
    markets: list[str] = []
    market: str = ""
    stage: str = ReviewStage.LEGAL.value
    note: str = ""
    error: str = ""
    message: str = ""

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = self.message = ""
        await self._refresh()

    @rx.event
    def set_market(self, value: str):
        self.market = value

    @rx.event
    def set_stage(self, value: str):
        self.stage = value if value in STAGES else ReviewStage.LEGAL.value

    @rx.event
    def set_note(self, value: str):
        self.note = value

    @rx.event
    @offload.guarded
    async def decide(self, decision: str):
        principal = await self._principal()
        if principal is None:
            return
        try:
            asset_id = uuid.UUID(self._page_asset_id())
            await self._blocking(_record, principal, asset_id, self.market, self.stage, decision, self.note)
        except (review_service.ReviewError, PermissionDenied) as exc:
            self.error, self.message = f"Not recorded: {exc}", ""
            return
        except (ValueError, assets_service.AssetNotFound):
            self.error, self.message = "Not recorded: this asset does not exist or is outside your markets", ""
            return
        self.error, self.note = "", ""
        self.message = f"{self.stage.capitalize()} {decision} for {self.market}."
        await self._refresh()

    async def _refresh(self) -> None:
        principal = await self._principal()
        if principal is None:
            return
        try:
            asset, decisions = await self._blocking(_asset_and_decisions, principal, uuid.UUID(self._page_asset_id()))
        except (ValueError, assets_service.AssetNotFound):
            self.decisions, self.can_review = [], False
            return
        self.states = ", ".join(s.replace("_", " ") for s in asset.approval_states)
        self.decisions = [
            {
                "market": d.market,
                "stage": d.stage,
                "decision": d.decision,
                "by": d.decided_by,
                "at": d.decided_at.strftime("%Y-%m-%d %H:%M UTC"),
                "note": d.note,
            }
            for d in decisions
        ]
        self.markets = [m for m in asset.markets if principal.all_regions or m in principal.visible_markets]
        self.can_review = principal.can("asset.review") and bool(self.markets)
        if self.market not in self.markets:
            self.market = self.markets[0] if self.markets else ""
