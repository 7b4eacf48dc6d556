"""The review panel of an asset page: approve / reject the current version for reviewers in the
markets they are scoped to. The decisions it lists come from AssetState's one read (`review`)."""

from __future__ import annotations

import uuid

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.db import session_scope
from dam_app.review import service as review_service
from dam_app.review.models import ReviewStage
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState

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


class ReviewState(AssetPanel):
    market: str = ""
    stage: str = ReviewStage.LEGAL.value
    note: str = ""
    error: str = ""
    message: str = ""

    def _prepare(self, asset: AssetState) -> None:
        self.error = self.message = ""
        self._keep_market(asset)

    def _keep_market(self, asset: AssetState) -> None:
        """The chosen market while the reviewer may still decide there, else their first."""
        markets = asset.review.markets
        if self.market not in markets:
            self.market = markets[0] if markets else ""

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
        asset = await self.get_state(AssetState)
        try:
            asset_id = uuid.UUID(asset._asset_id())
            await self._blocking(_record, principal, asset_id, self.market, self.stage, decision, self.note)
        except (review_service.ReviewError, PermissionDenied) as exc:
            self.error, self.message = f"Not recorded: {exc}", ""
            return
        except (ValueError, assets_service.AssetNotFound):
            self.error, self.message = "Not recorded: this asset does not exist or is outside your markets", ""
            return
        self.error, self.note = "", ""
        self.message = f"{self.stage.capitalize()} {decision} for {self.market}."
        await asset._refresh()
        self._keep_market(asset)
