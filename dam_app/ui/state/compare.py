"""The compare page (`/assets/<id>/compare?a=&b=&view=&zoom=`): two versions of an asset, the
comparison the worker computes for them (diff/), and how they are shown. Which two, the view and the
zoom live in the URL so a link shows the same; the arrow keys step through versions, 1-5 pick a view."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
import uuid
from dataclasses import replace
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlalchemy.exc import SQLAlchemyError

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.db import session_scope
from dam_app.diff import service as diff_service
from dam_app.errors import DamError
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.compare_views import (
    VIEWS,
    DiffView,
    PairView,
    default_pair,
    diff_view,
    pair_view,
    stepped,
)
from dam_app.ui.state.session import SessionState

ZOOMS = (25, 50, 75, 100, 150, 200, 300, 400)
WATCH_FOR_S = 600  # how long an open page follows a running comparison
WATCH_EVERY_S = 0.5
WATCH_SLOWLY_S = 3.0


def _open(principal: Principal, asset_id: uuid.UUID, a_ref: str, b_ref: str, retry: bool) -> tuple[PairView, DiffView]:
    """The pair (the URL's, else the current version against the one before) and its comparison,
    requested when new. An asset out of scope reads as not found; one version gives no diff."""
    with session_scope() as session:
        try:
            asset = assets_service.visible_asset(session, principal, asset_id)
        except DamError:
            return PairView(found=False), DiffView()
        versions = diff_service.asset_versions(session=session, principal=principal, asset_id=asset_id)
        if len(versions) < 2:
            return PairView(True, asset.title, routes.asset_url(asset_id)), DiffView()
        a, b = default_pair(versions, a_ref, b_ref, asset.current_version_id)
        previews = diff_service.preview_ids(session=session, version_ids=[a.id, b.id])
        pair = pair_view(asset.title, asset_id, versions, a, b, previews)
        try:
            diff = diff_service.request_diff(session=session, principal=principal, a=a.id, b=b.id, retry=retry)
        except DamError as exc:
            return pair, DiffView(status="failed", error=exc.message)
        return pair, diff_view(diff)


def _poll(principal: Principal, diff_id: uuid.UUID) -> DiffView:
    with session_scope() as session:
        return diff_view(diff_service.get_diff(session=session, principal=principal, diff_id=diff_id))


class CompareState(SessionState):
    pair: PairView = PairView()
    diff: DiffView = DiffView()
    view: str = "side"
    zoom: int = 100
    swipe: int = 50
    opacity: int = 50
    loaded: bool = False
    _following: str = ""  # the comparison whose progress this tab is following

    def _asset_id(self) -> str:
        return str(getattr(self, routes.ASSET_ID))

    @rx.event
    @offload.guarded
    async def load(self):
        params = self.router.url.query_parameters
        self.view = params.get("view", "side") if params.get("view") in VIEWS else "side"
        zoom = params.get("zoom", "100")
        self.zoom = int(zoom) if zoom.isdigit() and int(zoom) in ZOOMS else 100
        self.swipe, self.opacity = 50, 50
        return await self._open(params.get("a", ""), params.get("b", ""))

    async def _open(self, a_ref: str, b_ref: str, *, retry: bool = False):
        principal = await self._principal()
        if principal is None:
            return None
        try:
            asset_id = uuid.UUID(self._asset_id())
        except ValueError:
            self.pair, self.diff, self.loaded = PairView(found=False), DiffView(), True
            return None
        self.pair, self.diff = await self._blocking(_open, principal, asset_id, a_ref, b_ref, retry)
        self.loaded = True
        await live.follow(
            self, events.asset_topic(asset_id), principal if self.pair.found else None, CompareState.on_live
        )
        shown = [self._sync_url()]
        if self.diff.diff_id and not self.diff.finished and self._following != self.diff.diff_id:
            self._following = self.diff.diff_id  # one loop per tab and comparison
            shown.append(CompareState.follow_progress)
        return shown

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """A new version of this asset: say so, with a link to compare it with the one shown as B."""
        fresh = [n for n in live.news(notices, 0.0) if n.asset_id == self._asset_id() and n.is_new_version]
        return [live.version_toast(n, self.pair.title) for n in fresh]

    @rx.event(background=True)
    @offload.guarded
    async def follow_progress(self):
        """Re-read the running comparison until it is done (its progress bar moves meanwhile)."""
        async with self:
            diff_id, principal = self.diff.diff_id, await self._principal()
        if not diff_id or principal is None:
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            while loop.time() - started < WATCH_FOR_S:
                # every half second at first, then every few: a long wait is for a version still processing
                await asyncio.sleep(WATCH_EVERY_S if loop.time() - started < 20 else WATCH_SLOWLY_S)
                try:
                    fresh = await asyncio.to_thread(_poll, principal, uuid.UUID(diff_id))
                except (SQLAlchemyError, DamError):
                    continue  # the database is busy or the versions went out of reach: the next read says
                async with self:
                    if self.diff.diff_id != diff_id:
                        return  # the page moved on to another pair
                    self.diff = fresh
                if fresh.finished:
                    return
            async with self:
                if self.diff.diff_id == diff_id:
                    self.diff = replace(self.diff, step=f"{self.diff.step} (still not done: reload to look again)")
        finally:
            async with self:
                if self._following == diff_id:
                    self._following = ""

    @rx.event
    @offload.guarded
    async def pick(self, side: str, version_id: str):
        a, b = (version_id, self.pair.b_id) if side == "a" else (self.pair.a_id, version_id)
        return await self._open(a, b)

    @rx.event
    @offload.guarded
    async def step(self, delta: int):
        """Arrow keys: the next (or previous) pair of neighbouring versions."""
        pair = stepped(self.pair.versions, self.pair.a_id, self.pair.b_id, delta)
        if pair is None:
            return rx.toast.info("No newer version" if delta > 0 else "No older version")
        return await self._open(*pair)

    @rx.event
    @offload.guarded
    async def retry(self):
        return await self._open(self.pair.a_id, self.pair.b_id, retry=True)

    @rx.event
    def set_view(self, view: str):
        if view in VIEWS:
            self.view = view
        return self._sync_url()

    @rx.event
    def zoom_by(self, steps: int):
        index = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else ZOOMS.index(100)
        self.zoom = 100 if steps == 0 else ZOOMS[max(0, min(len(ZOOMS) - 1, index + steps))]
        return self._sync_url()

    @rx.event
    def set_swipe(self, value: list[int | float]):
        self.swipe = int(value[0]) if value else 50

    @rx.event
    def set_opacity(self, value: list[int | float]):
        self.opacity = int(value[0]) if value else 50

    def _sync_url(self) -> EventSpec:
        """The page's URL says what it shows, without reloading it."""
        query = {"a": self.pair.a_id, "b": self.pair.b_id, "view": self.view}
        if self.zoom != 100:
            query["zoom"] = str(self.zoom)
        url = f"/assets/{self._asset_id()}/compare?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")
