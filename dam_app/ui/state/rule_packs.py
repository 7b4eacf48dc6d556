"""The admin page's rule pack editor: pick a pack, edit its lists (one entry per line), name and
markets, and save it as the next version; a broken pattern or a pack saved meanwhile by someone else
is refused with the reason, and every current version is checked against a saved pack."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.review import rule_packs
from dam_app.review.compliance_models import RulePackRead
from dam_app.review.rules.packs import SCHEMAS
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState


@dataclass
class PackRow:
    key: str = ""
    label: str = ""  # "China Advertising Law art. 9 (v3, CN)"


@dataclass
class ListField:
    name: str = ""
    label: str = ""  # the schema's description
    text: str = ""  # one entry per line


@dataclass
class HistoryRow:
    version: str = ""
    at: str = ""
    note: str = ""


def _packs(principal: Principal) -> list[RulePackRead]:
    with session_scope() as session:
        return rule_packs.list_packs(session=session, principal=principal)


def _history(principal: Principal, key: str) -> list[RulePackRead]:
    with session_scope() as session:
        return rule_packs.history(session=session, principal=principal, key=key)


def _save(
    principal: Principal,
    key: str,
    definition: dict[str, list[str]],
    name: str,
    markets: list[str],
    note: str,
    base: int,
) -> RulePackRead:
    with session_scope() as session:
        return rule_packs.save_pack(
            session=session,
            principal=principal,
            key=key,
            definition=definition,
            name=name,
            markets=markets,
            note=note,
            base_version=base,
        )


def _fields(pack: RulePackRead) -> list[ListField]:
    schema = SCHEMAS[pack.kind]
    return [
        ListField(name=name, label=info.description or name, text="\n".join(pack.definition.get(name, [])))
        for name, info in schema.model_fields.items()
    ]


class RulePacksState(SessionState):
    packs: list[PackRow] = []
    key: str = ""
    name: str = ""
    markets: str = ""  # comma-separated codes, "*" for all
    fields: list[ListField] = []
    note: str = ""
    base_version: int = 0
    history: list[HistoryRow] = []
    error: str = ""
    message: str = ""

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        if principal is None or not principal.can("system.manage"):
            return
        packs = await self._blocking(_packs, principal)
        self.packs = [PackRow(p.key, f"{p.name} (v{p.version}, {', '.join(p.markets)})") for p in packs]
        if packs and self.key not in {p.key for p in packs}:
            self.key = packs[0].key
        await self._open_pack(principal)

    async def _open_pack(self, principal: Principal) -> None:
        versions = await self._blocking(_history, principal, self.key) if self.key else []
        if not versions:
            return
        newest = versions[0]
        self.name, self.markets, self.note = newest.name, ", ".join(newest.markets), ""
        self.fields, self.base_version = _fields(newest), newest.version
        self.history = [
            HistoryRow(f"v{v.version}", f"{v.created_at:%Y-%m-%d %H:%M} UTC", v.note or "") for v in versions
        ]

    @rx.event
    @offload.guarded
    async def choose(self, key: str):
        principal = await self._principal()
        if principal is None:
            return
        self.key, self.error, self.message = key, "", ""
        await self._open_pack(principal)

    @rx.event
    def set_name(self, value: str):
        self.name = value

    @rx.event
    def set_markets(self, value: str):
        self.markets = value

    @rx.event
    def set_note(self, value: str):
        self.note = value

    @rx.event
    def set_list(self, name: str, value: str):
        self.fields = [ListField(f.name, f.label, value if f.name == name else f.text) for f in self.fields]

    @rx.event
    @offload.guarded
    async def save(self):
        principal = await self._principal()
        if principal is None or not self.key:
            return
        definition = {f.name: [line for line in f.text.splitlines() if line.strip()] for f in self.fields}
        markets = [m.strip() for m in self.markets.split(",") if m.strip()]
        try:
            saved = await self._blocking(
                _save, principal, self.key, definition, self.name, markets, self.note, self.base_version
            )
        except DamError as exc:
            self.error, self.message = f"Not saved: {exc.message}", ""
            return
        self.error = ""
        self.message = f"Saved as v{saved.version}; every current version is being checked against it."
        await self._open_pack(principal)
        self.packs = [
            PackRow(p.key, f"{saved.name} (v{saved.version}, {', '.join(saved.markets)})") if p.key == saved.key else p
            for p in self.packs
        ]
