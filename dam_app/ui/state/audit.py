"""The Audit page: the trail newest first under the chosen filters, a page at a time, and the link
that exports the same selection as CSV."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.audit import trail
from dam_app.config import API_PREFIX
from dam_app.db import session_scope
from dam_app.errors import DamError, Invalid
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.forms import typed_day
from dam_app.ui.state.session import SessionState

PAGE = 50
ALL = "all"
KIND_OPTIONS = [[ALL, "Everything"], *[[key, label] for key, (label, _) in trail.KINDS.items()]]


@dataclass
class AuditRow:
    at: str = ""
    actor: str = ""
    label: str = ""
    asset_url: str = ""
    asset_title: str = ""
    summary: str = ""


def _read(principal: Principal, filt: trail.TrailFilter, before: int | None) -> trail.TrailPage:
    with session_scope() as session:
        return trail.page(session=session, principal=principal, filt=filt, before=before, limit=PAGE)


class AuditState(SessionState):
    rows: list[AuditRow] = []
    kind: str = ALL
    actor: str = ""
    asset: str = ""  # an asset id
    since: str = ""
    until: str = ""
    error: str = ""
    denied: bool = False
    pages: list[int] = []  # where each page shown so far began (`before`), for Previous
    next_before: int = 0  # 0: no next page

    def _filter(self) -> trail.TrailFilter:
        try:
            asset_id = uuid.UUID(self.asset.strip()) if self.asset.strip() else None
        except ValueError as exc:
            raise Invalid(f"'{self.asset}' is not an asset id") from exc
        return trail.TrailFilter(
            kinds=[] if self.kind == ALL else [self.kind],
            actor=self.actor,
            asset_id=asset_id,
            since=typed_day(self.since, "from"),
            until=typed_day(self.until, "until"),
        )

    @rx.var
    def export_url(self) -> str:
        query: list[tuple[str, str]] = [] if self.kind == ALL else [("kind", self.kind)]
        for name, value in (
            ("actor", self.actor),
            ("asset_id", self.asset),
            ("since", self.since),
            ("until", self.until),
        ):
            if value.strip():
                query.append((name, value.strip()))
        return f"{API_PREFIX}/audit/export.csv" + (f"?{urlencode(query)}" if query else "")

    @rx.event
    @offload.guarded
    async def load(self):
        self.pages = []
        await self._show_page(None)

    async def _show_page(self, before: int | None) -> None:
        principal = await self._principal()
        if principal is None:
            return
        try:
            found = await self._blocking(_read, principal, self._filter(), before)
        except PermissionDenied:
            self.denied, self.rows = True, []
            return
        except DamError as exc:
            self.error = exc.message
            return
        self.denied, self.error = False, ""
        self.rows = [
            AuditRow(
                at=f"{r.at:%Y-%m-%d %H:%M} UTC",
                actor=r.actor,
                label=r.label,
                asset_url=routes.asset_url(r.asset_id) if r.asset_id else "",
                asset_title=r.asset_title or r.asset_id,
                summary=r.summary,
            )
            for r in found.rows
        ]
        self.next_before = found.next_before or 0

    @rx.event
    def set_kind(self, value: str):
        self.kind = value

    @rx.event
    def set_filter_text(self, name: str, value: str):
        if name in {"actor", "asset", "since", "until"}:
            setattr(self, name, value)

    @rx.event
    @offload.guarded
    async def apply_filters(self):
        self.pages = []
        await self._show_page(None)

    @rx.event
    @offload.guarded
    async def next_page(self):
        if self.next_before:
            self.pages = [*self.pages, self.next_before]
            await self._show_page(self.next_before)

    @rx.event
    @offload.guarded
    async def previous_page(self):
        self.pages = self.pages[:-1]
        await self._show_page(self.pages[-1] if self.pages else None)
