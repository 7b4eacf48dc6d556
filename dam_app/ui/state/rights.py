"""The rights form of an asset page: reviewers and admins add, edit (at the revision they read) and
remove rights records; admins may download a blocked original anyway, saying why. The records and
verdicts it shows come from AssetState's read."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.rights import service as rights_service
from dam_app.rights.models import RightsRecordIn
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState
from dam_app.ui.state.asset_views import NONE
from dam_app.ui.state.forms import typed_day

_SPLIT = re.compile(r"[\s,;]+")


def _save_record(
    principal: Principal, asset_id: uuid.UUID, data: RightsRecordIn, record_id: int | None, revision: int | None
) -> None:
    with session_scope() as session:
        rights_service.save_record(
            session=session, principal=principal, asset_id=asset_id, data=data, record_id=record_id, revision=revision
        )


def _remove_record(principal: Principal, asset_id: uuid.UUID, record_id: int, revision: int) -> None:
    with session_scope() as session:
        rights_service.delete_record(
            session=session, principal=principal, asset_id=asset_id, record_id=record_id, revision=revision
        )


class RightsState(AssetPanel):
    editing: bool = False
    record_id: int = 0  # 0: a new record
    revision: int = 0
    licensor: str = ""
    licence_id: str = ""
    markets: str = ""
    start: str = ""
    end: str = ""
    usages: str = ""
    model_release: str = ""
    property_release: str = ""
    minors: bool = False
    music: str = ""
    music_licence: str = ""
    note: str = ""
    only_version: bool = False  # the record holds for one version only (the one it was made on, or shown)
    _version_id: str = ""  # that version ("" : the version shown, for a new record)
    _creator: str = ""  # kept through an edit: the form does not show them
    _copyright: str = ""
    error: str = ""
    message: str = ""
    override_reason: str = ""
    override_url: str = ""

    def _prepare(self, asset: AssetState) -> None:
        self._clear_form()
        self.error = self.message = self.override_reason = self.override_url = ""

    def _clear_form(self) -> None:
        self.editing, self.record_id, self.revision = False, 0, 0
        self.licensor = self.licence_id = self.markets = self.start = self.end = self.usages = ""
        self.model_release = self.property_release = self.music = self.music_licence = self.note = ""
        self.minors = self.only_version = False
        self._version_id = self._creator = self._copyright = ""

    @rx.event
    async def new_record(self):
        asset = await self.get_state(AssetState)
        self._clear_form()
        self.editing, self.error, self.message = True, "", ""
        self.markets = "" if asset.asset.markets == NONE else asset.asset.markets

    @rx.event
    async def edit_record(self, record_id: int):
        asset = await self.get_state(AssetState)
        row = next((r for r in asset.rights_panel.records if r.id == record_id), None)
        if row is None:
            return
        self.editing, self.record_id, self.revision, self.error, self.message = True, row.id, row.revision, "", ""
        self.licensor = "" if row.licensor == "—" else row.licensor
        self.licence_id, self.start, self.end, self.usages = row.licence_id, row.start, row.end, row.usages_raw
        self.markets = "" if row.markets == "no territory stated" else row.markets
        self.model_release, self.property_release = row.model_release, row.property_release
        self.minors, self.music, self.music_licence, self.note = (
            bool(row.minors),
            row.music_raw,
            row.music_licence,
            row.note,
        )

    @rx.event
    def cancel_record(self):
        self._clear_form()
        self.error = ""

    @rx.event
    def set_field(self, name: str, value: str):
        """One text field of the form (the names are this state's own)."""
        if name in {"licensor", "licence_id", "markets", "start", "end", "usages", "music_licence", "note"}:
            setattr(self, name, value)

    @rx.event
    def set_model_release(self, value: str):
        self.model_release = "" if value == "none" else value

    @rx.event
    def set_property_release(self, value: str):
        self.property_release = "" if value == "none" else value

    @rx.event
    def set_music(self, value: str):
        self.music = "" if value == "not recorded" else value

    @rx.event
    def set_minors(self, value: bool):
        self.minors = value

    @rx.event
    def set_only_version(self, value: bool):
        self.only_version = value

    @rx.event
    async def set_override_reason(self, value: str):
        asset = await self.get_state(AssetState)
        self.override_reason = value
        self.override_url = f"{asset.original_url}?override={quote(value.strip())}" if value.strip() else ""

    def _form_data(self, shown_version: str) -> RightsRecordIn:
        version_id = (self._version_id or shown_version) if self.only_version else ""
        return RightsRecordIn.checked(
                licence_source=self.licensor, licence_id=self.licence_id,
                licensed_markets=[m for m in _SPLIT.split(self.markets) if m],
                licence_start=typed_day(self.start, "start"), licence_end=typed_day(self.end, "end"),
                usages=[u for u in _SPLIT.split(self.usages) if u], model_release_status=self.model_release,
                property_release_status=self.property_release, minors=self.minors, music=self.music,
                music_licence=self.music_licence, note=self.note, creator=self._creator,
                copyright_notice=self._copyright, version_id=uuid.UUID(version_id) if version_id else None,
            )  # fmt: skip

    @rx.event
    @offload.guarded
    async def save_record(self):
        principal = await self._principal()
        if principal is None or not self.editing:
            return
        asset = await self.get_state(AssetState)
        try:
            data = self._form_data(asset.asset.version_id)
            record_id, revision = (self.record_id, self.revision) if self.record_id else (None, None)
            await self._blocking(_save_record, principal, uuid.UUID(asset._asset_id()), data, record_id, revision)
        except DamError as exc:
            self.error, self.message = f"Not saved: {exc.message}", ""
            return
        self._clear_form()
        self.error, self.message = "", "Rights saved; the verdicts below are judged again."
        await asset._refresh()

    @rx.event
    @offload.guarded
    async def remove_record(self, record_id: int, revision: int):
        principal = await self._principal()
        if principal is None:
            return
        asset = await self.get_state(AssetState)
        try:
            await self._blocking(_remove_record, principal, uuid.UUID(asset._asset_id()), record_id, revision)
        except DamError as exc:
            self.error, self.message = f"Not removed: {exc.message}", ""
            return
        self.error, self.message = "", f"Record #{record_id} removed."
        await asset._refresh()
