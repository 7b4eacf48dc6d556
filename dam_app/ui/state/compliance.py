"""The compliance panel of an asset page: a reviewer accepts one finding for its market with a reason
(and the evidence, for a health claim). The findings it lists come from AssetState's read."""

from __future__ import annotations

import uuid

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.review import compliance
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState


def _accept(principal: Principal, asset_id: uuid.UUID, finding_id: int, reason: str, evidence: str) -> None:
    with session_scope() as session:
        compliance.accept_exception(
            session=session,
            principal=principal,
            asset_id=asset_id,
            finding_id=finding_id,
            reason=reason,
            evidence=evidence,
        )


class ComplianceState(AssetPanel):
    finding_id: int = 0  # the finding whose exception form is open (0: none)
    reason: str = ""
    evidence: str = ""
    error: str = ""
    message: str = ""

    def _prepare(self, asset: AssetState) -> None:
        self.finding_id, self.reason, self.evidence, self.error, self.message = 0, "", "", "", ""

    @rx.event
    def open_form(self, finding_id: int):
        self.finding_id, self.reason, self.evidence, self.error = finding_id, "", "", ""

    @rx.event
    def close_form(self):
        self.finding_id, self.error = 0, ""

    @rx.event
    def set_reason(self, value: str):
        self.reason = value

    @rx.event
    def set_evidence(self, value: str):
        self.evidence = value

    @rx.event
    @offload.guarded
    async def accept(self):
        principal = await self._principal()
        if principal is None or not self.finding_id:
            return
        asset = await self.get_state(AssetState)
        try:
            await self._blocking(
                _accept, principal, uuid.UUID(asset._asset_id()), self.finding_id, self.reason, self.evidence
            )
        except DamError as exc:
            self.error, self.message = f"Not accepted: {exc.message}", ""
            return
        self.finding_id, self.reason, self.evidence, self.error = 0, "", "", ""
        self.message = "Exception accepted for this version and market."
        await asset._refresh()
