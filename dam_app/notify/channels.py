"""Channels: a person's own Apprise URLs, and team channels that admins set per market. Validated
by Apprise on the way in, encrypted at rest, only ever shown back masked."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Invalid, NotFound
from dam_app.notify import secrets, sender
from dam_app.notify.message import Message
from dam_app.notify.models import AlertChannel, ChannelRead

MAX_CHANNELS = 20  # per person
TEAM_PERMISSION = "user.manage"  # who sets team channels: the admins


class ChannelNotFound(NotFound):
    def __init__(self, ref: object = None) -> None:
        super().__init__("channel", ref)


def read(channel: AlertChannel) -> ChannelRead:
    return ChannelRead(
        id=channel.id,
        name=channel.name,
        scheme=channel.scheme,
        masked=channel.masked,
        markets=list(channel.markets),
        team=channel.owner_id is None,
        created_at=channel.created_at,
    )


def add_channel(
    *,
    session: Session,
    principal: Principal,
    url: str,
    name: str = "",
    team: bool = False,
    markets: list[str] | None = None,
) -> ChannelRead:
    """Add an Apprise URL as one's own channel, or (admins, `team`) as a team channel for `markets`."""
    scheme = sender.validate(url)
    url = url.strip()
    codes = sorted({m.strip().upper() for m in markets or [] if m.strip()})
    if team:
        principal.require(TEAM_PERMISSION)
        unknown = catalog_service.unknown_markets(session=session, codes=codes)
        if unknown:
            raise Invalid(f"unknown market(s) {', '.join(unknown)}")
    elif codes:
        raise Invalid("markets are for team channels; your own channel gets the alerts of what you watch")
    elif principal.user_id is None:
        raise Invalid("only a signed-in person has channels of their own")
    else:
        owned = session.exec(select(AlertChannel.id).where(AlertChannel.owner_id == principal.user_id)).all()
        if len(owned) >= MAX_CHANNELS:
            raise Invalid(f"you have {MAX_CHANNELS} channels already; remove one first")
    channel = AlertChannel(
        owner_id=None if team else principal.user_id,
        name=(name.strip() or scheme)[:120],
        scheme=scheme,
        url_encrypted=secrets.encrypt(url),
        masked=secrets.mask(url)[:80],
        markets=codes,
    )
    session.add(channel)
    session.flush()
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="alert.channel_added",
        object_type="alert_channel",
        object_id=channel.id,
        details={"scheme": scheme, "team": team, "markets": codes},
    )
    return read(channel)


def list_channels(*, session: Session, principal: Principal, team: bool = False) -> list[ChannelRead]:
    """One's own channels; with `team`, the team channels (admins only)."""
    stmt = select(AlertChannel).order_by(col(AlertChannel.created_at))
    if team:
        principal.require(TEAM_PERMISSION)
        stmt = stmt.where(col(AlertChannel.owner_id).is_(None))
    else:
        stmt = stmt.where(AlertChannel.owner_id == principal.user_id)
    return [read(c) for c in session.exec(stmt).all()]


def _owned(session: Session, principal: Principal, channel_id: uuid.UUID) -> AlertChannel:
    """The channel when it is the caller's own, or a team channel and the caller an admin."""
    channel = session.get(AlertChannel, channel_id)
    if channel is None:
        raise ChannelNotFound(channel_id)
    if channel.owner_id is None:
        if not principal.can(TEAM_PERMISSION):
            raise ChannelNotFound(channel_id)
    elif channel.owner_id != principal.user_id:
        raise ChannelNotFound(channel_id)
    return channel


def remove_channel(*, session: Session, principal: Principal, channel_id: uuid.UUID) -> None:
    channel = _owned(session, principal, channel_id)
    session.delete(channel)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="alert.channel_removed",
        object_type="alert_channel",
        object_id=channel_id,
        details={"scheme": channel.scheme},
    )


def channel_for_test(*, session: Session, principal: Principal, channel_id: uuid.UUID) -> tuple[ChannelRead, str]:
    """The channel and its URL, for a test send (the caller sends it outside the transaction)."""
    channel = _owned(session, principal, channel_id)
    return read(channel), secrets.decrypt(channel.url_encrypted)


def send_test(url: str, who: str) -> sender.SendResult:
    """A test message, sent now: the person sees at once whether the URL works."""
    return sender.send(url, Message("dam_app test alert", f"Alerts for {who} will arrive here."))
