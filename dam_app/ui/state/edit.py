"""The "Edit details" panel of an asset page: title, description, markets, classification and tags,
for people who may write in the asset's markets. Search follows the saved edit."""

from __future__ import annotations

import uuid

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import editing
from dam_app.assets import service as assets_service
from dam_app.catalog import service as catalog_service
from dam_app.catalog.service import UnknownValue
from dam_app.db import session_scope
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.session import SessionState

NONE = "—"  # the select value that clears an optional field
TEXT_FIELDS = ("title", "description", "campaign", "content_type", "phase", "channel", "language", "new_tags")


def _current(
    principal: Principal, asset_id: uuid.UUID
) -> tuple[assets_service.AssetDetail, catalog_service.Vocabulary]:
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=principal, asset_id=asset_id)
        return detail, catalog_service.vocabulary(session=session)


def _save(principal: Principal, asset_id: uuid.UUID, change: editing.AssetEdit) -> None:
    with session_scope() as session:
        editing.edit_asset(session=session, principal=principal, asset_id=asset_id, edit=change)


class EditState(SessionState):
    editing: bool = False
    can_edit: bool = False
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

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        self.editing, self.error, self.message = False, "", ""
        self.can_edit = principal is not None and principal.can("asset.write")

    @rx.event
    @offload.guarded
    async def start(self):
        """Open the form on the asset's current values (read again: someone may have changed them)."""
        principal = await self._principal()
        if principal is None:
            return
        try:
            detail, vocabulary = await self._blocking(_current, principal, uuid.UUID(self._page_asset_id()))
        except (ValueError, assets_service.AssetNotFound):
            self.error = "This asset does not exist or is outside your markets."
            return
        a = detail.asset
        self.title, self.description, self.markets = a.title, a.description, list(a.markets)
        self.campaign = next((c.name for c in vocabulary.campaigns if c.slug == a.campaign), "")
        self.content_type, self.phase, self.channel = a.content_type or NONE, a.phase or NONE, a.channel or NONE
        self.language, self.new_tags, self.removed_tags = a.language or "", "", []
        self.tags = [t.name for t in detail.tags]
        self.market_choices = [
            [m.code, m.name]
            for m in vocabulary.markets
            if principal.all_regions or m.code in principal.visible_markets or m.code in a.markets
        ]
        self.content_types = [NONE, *(t.code for t in vocabulary.content_types)]
        self.phases = [NONE, *(p.code for p in vocabulary.phases)]
        self.channels = [NONE, *(c.code for c in vocabulary.channels)]
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
            await self._blocking(_save, principal, uuid.UUID(self._page_asset_id()), change)
        except (editing.InvalidEdit, UnknownValue, PermissionDenied) as exc:
            self.error, self.message = f"Not saved: {exc}", ""
            return
        except (ValueError, assets_service.AssetNotFound):
            self.error, self.message = "Not saved: this asset does not exist or is outside your markets", ""
            return
        self.editing, self.error, self.message = False, "", "Saved. Search follows within seconds."
        asset_state = await self.get_state(AssetState)
        await asset_state._refresh()
