"""Who hears of an alert, on which channels: watchers of the asset, its campaign, its markets or a
saved search that matches it; its uploader; people who downloaded or watched an older version; team
channels of its markets. A comment: the thread's people, the asset's watchers and uploader, no team channel.
Never the person who made the change, never someone who may not read the asset."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.dimensions import DIMENSIONS
from dam_app.assets.models import Asset, Version
from dam_app.audit import service as audit_service
from dam_app.boards import visibility
from dam_app.boards.models import Board, Card
from dam_app.catalog import service as catalog_service
from dam_app.comments.models import INTERNAL_PERMISSION
from dam_app.events import CardMentioned, CommentAdded, CommentMentioned, Event, from_payload, visible_to
from dam_app.notify.models import EVERYONE, AlertChannel, AlertOutbox, Watch, WatchKind
from dam_app.search import query as search_query


@dataclass(frozen=True)
class Target:
    channel_id: uuid.UUID
    user_id: uuid.UUID | None  # None: a team channel
    reason: str
    urgent: bool


def targets(*, session: Session, row: AlertOutbox) -> list[Target]:
    """Every (channel, recipient) the alert goes to, each channel once."""
    event = from_payload(row.payload)
    asset = session.get(Asset, row.asset_id) if row.asset_id else None
    if event is None or (asset is None and not isinstance(event, CardMentioned)):
        return []
    if isinstance(event, CardMentioned):  # a card's comment: only the people named
        reasons = {uuid.UUID(user_id): "mention" for user_id in event.mentioned}
    else:
        assert asset is not None
        reasons = _interested(session, asset, event)
    found: list[Target] = []
    users = session.exec(select(User).where(col(User.id).in_(list(reasons)), col(User.is_active))).all()
    allowed: dict[uuid.UUID, bool] = {}
    for user in users:
        if user.id == row.actor_id:
            continue
        principal = accounts.principal_for(session=session, user=user)
        if not visible_to(event, principal):  # the same rule as every asset read (assets.service)
            continue
        if isinstance(event, CardMentioned) and not _opens_card(session, principal, event.card_id):
            continue  # the card as it is now (its markets or board may have changed since)
        if (
            isinstance(event, (CommentAdded, CommentMentioned))
            and event.internal
            and not principal.can(INTERNAL_PERMISSION)
        ):
            continue  # an internal thread is never quoted to an external reviewer
        allowed[user.id] = (
            EVERYONE in row.urgent_markets or user.all_regions or bool(set(row.urgent_markets) & set(user.region_codes))
        )
    if allowed:
        channels = session.exec(
            select(AlertChannel).where(col(AlertChannel.owner_id).in_(list(allowed))).order_by(col(AlertChannel.id))
        ).all()
        for channel in channels:
            assert channel.owner_id is not None
            urgent = bool(row.urgent_markets) and allowed[channel.owner_id]
            found.append(Target(channel.id, channel.owner_id, reasons[channel.owner_id], urgent))
    if asset is None or isinstance(event, (CommentMentioned, CommentAdded)):  # people, never a team channel
        return found
    for channel in session.exec(select(AlertChannel).where(col(AlertChannel.owner_id).is_(None))).all():
        if channel.markets and not set(channel.markets) & set(asset.markets):
            continue
        urgent = EVERYONE in row.urgent_markets or bool(
            set(row.urgent_markets) & set(channel.markets or row.urgent_markets)
        )
        found.append(Target(channel.id, None, "team", urgent))
    return found


def _opens_card(session: Session, principal: Principal, card_id: uuid.UUID) -> bool:
    card = session.get(Card, card_id)
    board = session.get(Board, card.board_id) if card is not None else None
    return card is not None and board is not None and visibility.sees_card(principal, board, card)


def _interested(session: Session, asset: Asset, event: Event) -> dict[uuid.UUID, str]:
    """Each interested user and why (the first reason found), less those who muted the asset."""
    reasons: dict[uuid.UUID, str] = {}
    if isinstance(event, CommentMentioned):  # only the people named, not every watcher
        return {uuid.UUID(user_id): "mention" for user_id in event.mentioned}

    def add(user_id: uuid.UUID | None, reason: str) -> None:
        if user_id is not None:
            reasons.setdefault(user_id, reason)

    if isinstance(event, CommentAdded):
        return _talking(session, asset, event)
    keyed = [(WatchKind.ASSET, str(asset.id))] + [(WatchKind.MARKET, m) for m in asset.markets]
    if asset.campaign:
        keyed.append((WatchKind.CAMPAIGN, asset.campaign))
    muted: set[uuid.UUID] = set()
    for watch in session.exec(
        select(Watch).where(col(Watch.kind).in_([k for k, _ in keyed]), col(Watch.target).in_([t for _, t in keyed]))
    ).all():
        if (watch.kind, watch.target) not in keyed:
            continue
        if watch.muted:
            if watch.kind == WatchKind.ASSET:
                muted.add(watch.user_id)
            continue
        add(watch.user_id, watch.kind)
    searches = session.exec(select(Watch).where(Watch.kind == WatchKind.SEARCH, col(Watch.muted).is_(False))).all()
    if searches:
        lexicon = catalog_service.cached_lexicon(session=session)
        for watch in searches:
            if matches_search(asset, watch.target, lexicon):
                add(watch.user_id, "search")
    add(asset.created_by, "upload")
    if event.type == "version_added":
        older = session.exec(
            select(Version.id).where(Version.asset_id == asset.id, Version.id != getattr(event, "version_id", None))
        ).all()
        for action, reason in ((assets_service.DOWNLOAD_ACTION, "download"), (assets_service.PLAY_ACTION, "played")):
            for user_id in audit_service.actors(session=session, action=action, object_ids=[str(v) for v in older]):
                add(user_id, reason)
    return {user_id: reason for user_id, reason in reasons.items() if user_id not in muted}


def _talking(session: Session, asset: Asset, event: CommentAdded) -> dict[uuid.UUID, str]:
    """A comment's readers: who took part in the thread, who watches the asset itself (not its
    campaign or markets: every comment of a market would be noise) and its uploader; less those who
    muted it and those it @names (their mention alert says it)."""
    reasons = {uuid.UUID(user_id): "thread" for user_id in event.participants}
    watches = session.exec(select(Watch).where(Watch.kind == WatchKind.ASSET, Watch.target == str(asset.id))).all()
    for watch in watches:
        if not watch.muted:
            reasons.setdefault(watch.user_id, WatchKind.ASSET)
    if asset.created_by is not None:
        reasons.setdefault(asset.created_by, "upload")
    skipped = {watch.user_id for watch in watches if watch.muted} | {uuid.UUID(u) for u in event.mentioned}
    return {user_id: reason for user_id, reason in reasons.items() if user_id not in skipped}


def matches_search(asset: Asset, raw: str, lexicon: catalog_service.Lexicon) -> bool:
    """Whether the asset would be a hit of the saved search, judged from its own fields: what the
    query's words filter by (markets, types, phases, channels, approval, time; see search/query.py)
    must hold, as in search, while its preferences (colours, people, orientation) only rank there and
    so do not decide here; every remaining word must appear in its title, description, tags or
    campaign. (No ranking or synonyms: a cheap check per new version, not a second search engine.)"""
    parsed = search_query.parse(raw, lexicon)
    now = datetime.now(UTC)
    if not all(d.meets(value, getattr(asset, d.column), now) for d, value in DIMENSIONS.asked(parsed.required())):
        return False
    haystack = " ".join([asset.title, asset.description, *asset.tag_names, asset.campaign or ""]).casefold()
    return all(word.casefold() in haystack for word in parsed.text.split())
