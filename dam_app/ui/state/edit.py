"""The "Edit details" panel of an asset page: title, description, markets, classification and tags,
for people who may write in the asset's markets. It opens on AssetState's read (`edit`); search
follows the saved edit."""

from __future__ import annotations

import uuid

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import editing
from dam_app.assets import service as assets_service
from dam_app.catalog.service import UnknownValue
from dam_app.db import session_scope
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState
from dam_app.ui.state.asset_views import NONE

TEXT_FIELDS = ("title", "description", "campaign", "content_type", "phase", "channel", "language", "new_tags")


def _save(principal: Principal, asset_id: uuid.UUID, change: editing.AssetEdit) -> None:
    with session_scope() as session:
        editing.edit_asset(session=session, principal=principal, asset_id=asset_id, edit=change)


class EditState(AssetPanel):
    editing: bool = False
    title: str = ""
    description: str = ""
    markets: list[str] = []
    campaign: str = ""
    content_type: str = NONE
    phase: str = NONE
    channel: str = NONE
    language: str = ""
    new_tags: str = ""
    tags: list[str] = []
    removed_tags: list[str] = []
    market_choices: list[list[str]] = []  # [code, name] within the editor's scope
    content_types: list[str] = []
    phases: list[str] = []
    channels: list[str] = []
    error: str = ""
    message: str = ""

    def _prepare(self, asset: AssetState) -> None:
        self.editing, self.error, self.message = False, "", ""

    @rx.event
    @offload.guarded
    async def start(self):
        """Open the form on the asset's current values (read again: someone may have changed them)."""
        asset = await self.get_state(AssetState)
        await asset._refresh()
        if not asset.found:
            self.error = "This asset does not exist or is outside your markets."
            return
        start = asset.edit
        if not start.can_edit:
            return
        self.title, self.description, self.language = start.title, start.description, start.language
        self.campaign, self.content_type = start.campaign, start.content_type
        self.phase, self.channel = start.phase, start.channel
        self.markets, self.tags, self.new_tags, self.removed_tags = list(start.markets), list(start.tags), "", []
        self.market_choices = [list(choice) for choice in start.market_choices]
        self.content_types, self.phases = list(start.content_types), list(start.phases)
        self.channels = list(start.channels)
        self.editing, self.error, self.message = True, "", ""

    @rx.event
    def cancel(self):
        self.editing, self.error = False, ""

    @rx.event
    def set_field(self, name: str, value: str):
        """One setter for the form's text fields and selects."""
        if name in TEXT_FIELDS:
            setattr(self, name, value)

    @rx.event
    def toggle_market(self, code: str):
        self.markets = [m for m in self.markets if m != code] if code in self.markets else [*self.markets, code]

    @rx.event
    def toggle_tag(self, name: str):
        """Mark a tag to be taken off on save (or keep it again)."""
        removed = self.removed_tags
        self.removed_tags = [t for t in removed if t != name] if name in removed else [*removed, name]

    @rx.event
    @offload.guarded
    async def save(self):
        principal = await self._principal()
        if principal is None:
            return
        asset = await self.get_state(AssetState)
        change = editing.AssetEdit(
            title=self.title,
            description=self.description,
            markets=self.markets,
            campaign=self.campaign,
            content_type="" if self.content_type == NONE else self.content_type,
            phase="" if self.phase == NONE else self.phase,
            channel="" if self.channel == NONE else self.channel,
            language=self.language,
            add_tags=[t for t in self.new_tags.split(",") if t.strip()],
            remove_tags=self.removed_tags,
        )
        try:
            await self._blocking(_save, principal, uuid.UUID(asset._asset_id()), change)
        except (editing.InvalidEdit, UnknownValue, PermissionDenied) as exc:
            self.error, self.message = f"Not saved: {exc}", ""
            return
        except (ValueError, assets_service.AssetNotFound):
            self.error, self.message = "Not saved: this asset does not exist or is outside your markets", ""
            return
        self.editing, self.error, self.message = False, "", "Saved. Search follows within seconds."
        await asset._refresh()
