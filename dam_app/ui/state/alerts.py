"""Alert settings (/settings/alerts): channels, quiet hours, digest, watches, recent deliveries; and
the asset page's Watch toggle. Service calls run in threads (offload.py) through the helpers below."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.notify import channels, quiet, service
from dam_app.notify.models import DeliveryRead
from dam_app.ui import routes
from dam_app.ui.state import offload
from dam_app.ui.state.session import SessionState

ZONES = quiet.zone_names()
DIGEST_MODES = ["off", "hourly", "daily"]
HOURS = [str(h) for h in range(24)]


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def _delivery_row(d: DeliveryRead) -> dict[str, str]:
    return {
        "id": str(d.id),
        "title": d.title,
        "channel": d.channel,
        "user": d.user,
        "reason": d.reason,
        "status": d.status,
        "urgent": "urgent" if d.urgent else "",
        "attempts": str(d.attempts),
        "error": d.last_error[:300],
        "at": _when(d.delivered_at or d.next_attempt_at),
    }


def _read(principal: Principal) -> dict[str, Any]:
    """Everything the page shows, in one transaction."""
    admin = principal.can(service.ADMIN_PERMISSION)
    with session_scope() as session:
        own = channels.list_channels(session=session, principal=principal)
        team = channels.list_channels(session=session, principal=principal, team=True) if admin else []
        prefs = service.get_prefs(session=session, principal=principal)
        watches = service.list_watches(session=session, principal=principal)
        mine = service.deliveries(session=session, principal=principal, limit=30)
        everyone = service.deliveries(session=session, principal=principal, everyone=True, limit=50) if admin else []
    return {
        "channels": [{"id": str(c.id), "name": c.name, "masked": c.masked} for c in own],
        "team_channels": [
            {"id": str(c.id), "name": c.name, "masked": c.masked, "markets": ", ".join(c.markets) or "all"}
            for c in team
        ],
        "prefs": {
            "time_zone": prefs.time_zone,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "digest": prefs.digest,
            "digest_hour": str(prefs.digest_hour),
        },
        "watches": [
            {
                "id": str(w.id),
                "kind": w.kind,
                "label": w.label,
                "href": routes.asset_url(w.target) if w.kind == "asset" else "",
            }
            for w in watches
        ],
        "deliveries": [_delivery_row(d) for d in mine],
        "all_deliveries": [_delivery_row(d) for d in everyone],
        "is_admin": admin,
    }


def _attempt(principal: Principal, action: str, **values: Any) -> str:
    """One change; "" when it worked, else the sentence saying why not."""
    try:
        with session_scope() as session:
            if action == "add_channel":
                channels.add_channel(session=session, principal=principal, **values)
            elif action == "remove_channel":
                channels.remove_channel(session=session, principal=principal, channel_id=uuid.UUID(values["id"]))
            elif action == "prefs":
                service.set_prefs(session=session, principal=principal, **values)
            elif action == "remove_watch":
                service.remove_watch(session=session, principal=principal, watch_id=uuid.UUID(values["id"]))
            elif action == "watch":
                service.watch(session=session, principal=principal, **values)
    except DamError as exc:
        return exc.message
    return ""


def _test(principal: Principal, channel_id: str) -> str:
    try:
        with session_scope() as session:
            channel, url = channels.channel_for_test(
                session=session, principal=principal, channel_id=uuid.UUID(channel_id)
            )
    except DamError as exc:
        return exc.message
    sent = channels.send_test(url, principal.email)  # outside the transaction: it may take seconds
    return f"Test sent to {channel.name}." if sent.ok else f"{channel.name} refused the test: {sent.error}"


class AlertsState(SessionState):
    channels: list[dict[str, str]] = []
    team_channels: list[dict[str, str]] = []
    prefs: dict[str, str] = {}
    watches: list[dict[str, str]] = []
    deliveries: list[dict[str, str]] = []
    all_deliveries: list[dict[str, str]] = []
    is_admin: bool = False
    error: str = ""
    notice: str = ""

    async def _reload(self, principal: Principal) -> None:
        view = await self._blocking(_read, principal)
        for key, value in view.items():
            setattr(self, key, value)

    async def _change(self, action: str, done: str, **values: Any) -> None:
        principal = await self._principal()
        if principal is None:
            return
        self.error = await self._blocking(_attempt, principal, action, **values)
        self.notice = "" if self.error else done
        await self._reload(principal)

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = self.notice = ""
        principal = await self._principal()
        if principal is not None:
            await self._reload(principal)

    @rx.event
    @offload.guarded
    async def add_channel(self, form: dict[str, Any]):
        await self._change(
            "add_channel", "Channel added.", url=str(form.get("url", "")), name=str(form.get("name", ""))
        )

    @rx.event
    @offload.guarded
    async def add_team_channel(self, form: dict[str, Any]):
        markets = [m for m in str(form.get("markets", "")).replace(",", " ").split() if m]
        await self._change(
            "add_channel",
            "Team channel added.",
            url=str(form.get("url", "")),
            name=str(form.get("name", "")),
            team=True,
            markets=markets,
        )

    @rx.event
    @offload.guarded
    async def remove_channel(self, channel_id: str):
        await self._change("remove_channel", "Channel removed.", id=channel_id)

    @rx.event
    @offload.guarded
    async def test_channel(self, channel_id: str):
        principal = await self._principal()
        if principal is None:
            return
        outcome = await self._blocking(_test, principal, channel_id)
        failed = not outcome.startswith("Test sent")
        self.error, self.notice = (outcome, "") if failed else ("", outcome)

    @rx.event
    @offload.guarded
    async def save_prefs(self, form: dict[str, Any]):
        await self._change(
            "prefs",
            "Alert settings saved.",
            time_zone=str(form.get("time_zone") or "UTC"),
            quiet_start=str(form.get("quiet_start", "")),
            quiet_end=str(form.get("quiet_end", "")),
            digest=str(form.get("digest") or "off"),
            digest_hour=int(str(form.get("digest_hour") or "9")),
        )

    @rx.event
    @offload.guarded
    async def add_watch(self, form: dict[str, Any]):
        kind, target = str(form.get("kind") or "search"), str(form.get("target", ""))
        await self._change("watch", "Now watching.", kind=kind, target=target)

    @rx.event
    @offload.guarded
    async def remove_watch(self, watch_id: str):
        await self._change("remove_watch", "Stopped watching.", id=watch_id)


def _watching(principal: Principal, asset_id: str) -> bool | None:
    try:
        with session_scope() as session:
            return service.is_watching(session=session, principal=principal, asset_id=uuid.UUID(asset_id))
    except (DamError, ValueError):
        return None


def _set_watching(principal: Principal, asset_id: str, on: bool) -> bool | None:
    try:
        with session_scope() as session:
            if on:
                service.watch(session=session, principal=principal, kind="asset", target=asset_id)
            else:
                service.unwatch(session=session, principal=principal, kind="asset", target=asset_id)
    except DamError:
        return None
    return on


class WatchState(SessionState):
    """The asset page's Watch toggle (components/watch_button.py); reads the page's route argument."""

    watching: bool = False
    known: bool = False  # the asset could be read (else the toggle stays hidden)

    def _asset_ref(self) -> str:
        return str(getattr(self, routes.ASSET_ID, "") or "")

    @rx.event
    @offload.guarded
    async def check(self):
        principal = await self._principal()
        state = None if principal is None else await self._blocking(_watching, principal, self._asset_ref())
        self.known, self.watching = state is not None, bool(state)

    @rx.event
    @offload.guarded
    async def toggle(self):
        principal = await self._principal()
        if principal is None:
            return
        state = await self._blocking(_set_watching, principal, self._asset_ref(), not self.watching)
        if state is not None:
            self.watching = state
