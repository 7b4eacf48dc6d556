"""Alerts: one's channels (shown masked), watches, quiet hours and digest, deliveries; admins' team
channels and every delivery. Domain errors become statuses in api/errors.py."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.notify import channels, service
from dam_app.notify.models import ChannelRead, DeliveryRead, DigestMode, WatchKind

router = APIRouter(tags=["alerts"], responses=COMMON_ERRORS)


class ChannelIn(BaseModel):
    url: Text = Field(max_length=2000, description="Any Apprise URL: slack://…, json://host/path, mailto://…")
    name: Text = Field(default="", max_length=120)


class TeamChannelIn(ChannelIn):
    markets: list[Annotated[Text, Field(max_length=16)]] = Field(
        default=[], max_length=50, description="Alerts for assets of these markets; none: every asset"
    )


class ChannelOut(ChannelRead):
    """A channel; its URL is never sent back, only `masked`."""


class SendTestOut(BaseModel):
    ok: bool
    error: str


class WatchIn(BaseModel):
    kind: WatchKind
    target: Text = Field(max_length=500, description="Asset id, campaign slug or name, market code, or search words")


class WatchOut(BaseModel):
    id: uuid.UUID
    kind: str
    target: str
    label: str


class WatchingOut(BaseModel):
    watching: bool


class PrefsIn(BaseModel):
    time_zone: Text = Field(max_length=64, description="IANA name, e.g. Asia/Shanghai")
    quiet_start: Text = Field(default="", max_length=5, description="HH:MM local; empty: no quiet hours")
    quiet_end: Text = Field(default="", max_length=5)
    digest: DigestMode = DigestMode.OFF
    digest_hour: int = Field(default=9, ge=0, le=23, description="Local hour of the daily digest")


class PrefsOut(PrefsIn):
    pass


class DeliveryOut(DeliveryRead):
    """One alert to one channel: delivered, held (quiet hours, digest), pending a retry, or failed."""


def _watch_out(w: service.WatchRead) -> WatchOut:
    return WatchOut(id=w.id, kind=w.kind, target=w.target, label=w.label)


def _prefs_out(p: service.PrefsRead) -> PrefsOut:
    return PrefsOut(
        time_zone=p.time_zone,
        quiet_start=p.quiet_start,
        quiet_end=p.quiet_end,
        digest=DigestMode(p.digest),
        digest_hour=p.digest_hour,
    )


@router.get("/alerts/channels")
def list_channels(principal: PrincipalDep, session: SessionDep) -> list[ChannelOut]:
    """Your channels, masked."""
    return [
        ChannelOut.model_validate(c.model_dump()) for c in channels.list_channels(session=session, principal=principal)
    ]


@router.post("/alerts/channels", status_code=201, responses=errors(400, 422))
def add_channel(body: ChannelIn, principal: PrincipalDep, session: SessionDep) -> ChannelOut:
    """Add an Apprise URL (checked by Apprise: 422 saying why when it is not one); stored encrypted."""
    added = channels.add_channel(session=session, principal=principal, url=body.url, name=body.name)
    return ChannelOut.model_validate(added.model_dump())


@router.delete("/alerts/channels/{channel_id}", status_code=204, responses=errors(404))
def remove_channel(channel_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> None:
    channels.remove_channel(session=session, principal=principal, channel_id=channel_id)


@router.post("/alerts/channels/{channel_id}/test", responses=errors(404))
def send_test(channel_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> SendTestOut:
    """Send a test message now and say whether the service took it."""
    _, url = channels.channel_for_test(session=session, principal=principal, channel_id=channel_id)
    session.commit()  # the send may take seconds: hold no transaction meanwhile
    sent = channels.send_test(url, principal.email)
    return SendTestOut(ok=sent.ok, error=sent.error)


@router.get("/alerts/watches")
def list_watches(principal: PrincipalDep, session: SessionDep) -> list[WatchOut]:
    """What you watch (your own uploads and downloads are watched without a row here)."""
    return [_watch_out(w) for w in service.list_watches(session=session, principal=principal)]


@router.post("/alerts/watches", status_code=201, responses=errors(400, 404, 422))
def add_watch(body: WatchIn, principal: PrincipalDep, session: SessionDep) -> WatchOut:
    return _watch_out(service.watch(session=session, principal=principal, kind=body.kind, target=body.target))


@router.delete("/alerts/watches/{watch_id}", status_code=204, responses=errors(404))
def remove_watch(watch_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> None:
    service.remove_watch(session=session, principal=principal, watch_id=watch_id)


@router.get("/assets/{asset_id}/watch", responses=errors(404))
def watching(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> WatchingOut:
    """Whether you hear of this asset's new versions and decisions."""
    return WatchingOut(watching=service.is_watching(session=session, principal=principal, asset_id=asset_id))


@router.put("/assets/{asset_id}/watch", responses=errors(404))
def watch_asset(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> WatchingOut:
    service.watch(session=session, principal=principal, kind=WatchKind.ASSET, target=str(asset_id))
    return WatchingOut(watching=True)


@router.delete("/assets/{asset_id}/watch", responses=errors(404))
def unwatch_asset(asset_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> WatchingOut:
    """Stop hearing of the asset, also of your own upload or a version you downloaded."""
    service.unwatch(session=session, principal=principal, kind=WatchKind.ASSET, target=str(asset_id))
    return WatchingOut(watching=False)


@router.get("/alerts/prefs")
def get_prefs(principal: PrincipalDep, session: SessionDep) -> PrefsOut:
    return _prefs_out(service.get_prefs(session=session, principal=principal))


@router.put("/alerts/prefs", responses=errors(400, 422))
def set_prefs(body: PrefsIn, principal: PrincipalDep, session: SessionDep) -> PrefsOut:
    """Quiet hours in your time zone (urgent alerts still come), and digest mode."""
    saved = service.set_prefs(session=session, principal=principal, **body.model_dump())
    return _prefs_out(saved)


@router.get("/alerts/deliveries")
def my_deliveries(
    principal: PrincipalDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[DeliveryOut]:
    """Your newest alerts and how sending each went."""
    found = service.deliveries(session=session, principal=principal, limit=limit)
    return [DeliveryOut.model_validate(d.model_dump()) for d in found]


@router.get("/admin/alerts/channels", tags=["admin"], responses=errors(403))
def team_channels(principal: PrincipalDep, session: SessionDep) -> list[ChannelOut]:
    found = channels.list_channels(session=session, principal=principal, team=True)
    return [ChannelOut.model_validate(c.model_dump()) for c in found]


@router.post("/admin/alerts/channels", status_code=201, tags=["admin"], responses=errors(400, 403, 422))
def add_team_channel(body: TeamChannelIn, principal: PrincipalDep, session: SessionDep) -> ChannelOut:
    """A team channel: every alert for assets of its markets goes there (admins only)."""
    added = channels.add_channel(
        session=session, principal=principal, url=body.url, name=body.name, team=True, markets=body.markets
    )
    return ChannelOut.model_validate(added.model_dump())


@router.delete("/admin/alerts/channels/{channel_id}", status_code=204, tags=["admin"], responses=errors(404))
def remove_team_channel(channel_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> None:
    channels.remove_channel(session=session, principal=principal, channel_id=channel_id)


@router.get("/admin/alerts/deliveries", tags=["admin"], responses=errors(403))
def all_deliveries(
    principal: PrincipalDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[DeliveryOut]:
    """Every recent delivery, team channels included (admins only)."""
    found = service.deliveries(session=session, principal=principal, everyone=True, limit=limit)
    return [DeliveryOut.model_validate(d.model_dump()) for d in found]
