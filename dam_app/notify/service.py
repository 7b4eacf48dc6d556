"""Watches, alert preferences and delivery lists: what the API, the UI and the CLI call. Channels
live in channels.py; sending in jobs.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Invalid, NotFound
from dam_app.fields import utcnow
from dam_app.notify import quiet
from dam_app.notify.models import (
    AlertChannel,
    AlertDelivery,
    AlertOutbox,
    AlertPrefs,
    DeliveryRead,
    DigestMode,
    Watch,
    WatchKind,
)
from dam_app.search.query import MAX_QUERY_CHARS

ADMIN_PERMISSION = "user.manage"
MAX_WATCHES = 500


@dataclass(frozen=True)
class WatchRead:
    id: uuid.UUID
    kind: str
    target: str
    label: str  # the asset's title, the campaign's name, the market's code, the search's words


@dataclass(frozen=True)
class PrefsRead:
    time_zone: str
    quiet_start: str
    quiet_end: str
    digest: str
    digest_hour: int


def _user_id(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise Invalid("only a signed-in person has watches and alert settings")
    return principal.user_id


def _target(session: Session, principal: Principal, kind: str, target: str) -> tuple[str, str]:
    """The stored target of a watch and its label; a 404 for an asset outside one's markets."""
    target = target.strip()
    if kind == WatchKind.ASSET:
        try:
            asset_id = uuid.UUID(target)
        except ValueError as exc:
            raise assets_service.AssetNotFound(target) from exc
        asset = assets_service.visible_asset(session, principal, asset_id)
        return str(asset.id), asset.title
    if kind == WatchKind.CAMPAIGN:
        campaign = catalog_service.campaign(session=session, slug=target) or catalog_service.campaign(
            session=session, slug=catalog_service.slugify(target)
        )
        if campaign is None:
            raise NotFound("campaign", target)
        return campaign.slug, campaign.name
    if kind == WatchKind.MARKET:
        code = target.upper()
        if catalog_service.unknown_markets(session=session, codes=[code]):
            raise Invalid(f"unknown market '{code}'")
        return code, code
    if kind == WatchKind.SEARCH:
        words = " ".join(target.split())
        if not words or len(words) > MAX_QUERY_CHARS:
            raise Invalid(f"a saved search needs 1 to {MAX_QUERY_CHARS} characters")
        return words, words
    raise Invalid(f"unknown watch kind '{kind}'; use one of {', '.join(WatchKind)}")


def watch(*, session: Session, principal: Principal, kind: str, target: str) -> WatchRead:
    """Follow something (again, if it was muted); watching twice is one watch."""
    user_id = _user_id(principal)
    stored, label = _target(session, principal, kind, target)
    count = len(session.exec(select(Watch.id).where(Watch.user_id == user_id)).all())
    if count >= MAX_WATCHES:
        raise Invalid(f"you watch {MAX_WATCHES} things already; stop watching some first")
    row_id = session.execute(
        insert(Watch)
        .values(id=uuid.uuid4(), user_id=user_id, kind=kind, target=stored, muted=False)
        .on_conflict_do_update(constraint="uq_alert_watches_target", set_={"muted": False})
        .returning(col(Watch.id))
    ).scalar_one()
    return WatchRead(row_id, kind, stored, label)


def unwatch(*, session: Session, principal: Principal, kind: str, target: str) -> None:
    """Stop following. For an asset this also mutes what would come by itself (own upload, an
    older version downloaded): a muted row is kept, so "stop" means stop."""
    user_id = _user_id(principal)
    stored, _ = _target(session, principal, kind, target)
    if kind == WatchKind.ASSET:
        session.execute(
            insert(Watch)
            .values(id=uuid.uuid4(), user_id=user_id, kind=kind, target=stored, muted=True)
            .on_conflict_do_update(constraint="uq_alert_watches_target", set_={"muted": True})
        )
        return
    row = session.exec(
        select(Watch).where(Watch.user_id == user_id, Watch.kind == kind, Watch.target == stored)
    ).first()
    if row is not None:
        session.delete(row)


def is_watching(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> bool:
    """Whether the person hears of this asset's new versions: a watch (not muted), or their own upload."""
    user_id = _user_id(principal)
    asset = assets_service.visible_asset(session, principal, asset_id)
    row = session.exec(
        select(Watch).where(Watch.user_id == user_id, Watch.kind == WatchKind.ASSET, Watch.target == str(asset_id))
    ).first()
    if row is not None:
        return not row.muted
    return asset.created_by == user_id


def list_watches(*, session: Session, principal: Principal) -> list[WatchRead]:
    user_id = _user_id(principal)
    rows = session.exec(
        select(Watch).where(Watch.user_id == user_id, col(Watch.muted).is_(False)).order_by(col(Watch.created_at))
    ).all()
    titles = {
        str(a.id): a.title
        for a in assets_service.visible_assets(
            session, principal, [uuid.UUID(w.target) for w in rows if w.kind == WatchKind.ASSET]
        )
    }
    found = []
    for w in rows:
        if w.kind == WatchKind.ASSET and w.target not in titles:
            continue  # no longer visible (scope changed) or deleted
        found.append(WatchRead(w.id, w.kind, w.target, titles.get(w.target, w.target)))
    return found


def remove_watch(*, session: Session, principal: Principal, watch_id: uuid.UUID) -> None:
    row = session.get(Watch, watch_id)
    if row is None or row.user_id != _user_id(principal):
        raise NotFound("watch", watch_id)
    if row.kind == WatchKind.ASSET:
        row.muted = True
        session.add(row)
    else:
        session.delete(row)


def get_prefs(*, session: Session, principal: Principal) -> PrefsRead:
    user_id = _user_id(principal)
    prefs = session.get(AlertPrefs, user_id)
    if prefs is None:
        user = session.get(User, user_id)
        return PrefsRead(user.time_zone if user else "UTC", "", "", DigestMode.OFF, 9)
    return PrefsRead(prefs.time_zone, prefs.quiet_start or "", prefs.quiet_end or "", prefs.digest, prefs.digest_hour)


def set_prefs(
    *,
    session: Session,
    principal: Principal,
    time_zone: str,
    quiet_start: str = "",
    quiet_end: str = "",
    digest: str = DigestMode.OFF,
    digest_hour: int = 9,
) -> PrefsRead:
    """Quiet hours (both times or neither) in `time_zone`, and the digest mode."""
    user_id = _user_id(principal)
    zone = quiet.check_zone(time_zone)
    start, end = quiet.parse_clock(quiet_start), quiet.parse_clock(quiet_end)
    if (start is None) != (end is None):
        raise quiet.BadSchedule("give both the start and the end of the quiet hours, or neither")
    if not 0 <= digest_hour <= 23:
        raise quiet.BadSchedule("the digest hour is 0 to 23")
    values = {
        "time_zone": zone,
        "quiet_start": f"{start:%H:%M}" if start else None,
        "quiet_end": f"{end:%H:%M}" if end else None,
        "digest": quiet.check_digest(digest),
        "digest_hour": digest_hour,
        "updated_at": utcnow(),
    }
    session.execute(
        insert(AlertPrefs)
        .values(user_id=user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )
    return get_prefs(session=session, principal=principal)


def deliveries(
    *, session: Session, principal: Principal, everyone: bool = False, limit: int = 50
) -> list[DeliveryRead]:
    """The newest deliveries: one's own, or (admins, `everyone`) all of them, team channels included."""
    stmt = (
        sa_select(
            AlertDelivery, col(AlertOutbox.title), col(AlertChannel.name), col(AlertChannel.masked), col(User.email)
        )
        .join(AlertOutbox, col(AlertOutbox.id) == col(AlertDelivery.outbox_id))
        .join(AlertChannel, col(AlertChannel.id) == col(AlertDelivery.channel_id))
        .join(User, col(User.id) == col(AlertDelivery.user_id), isouter=True)
        .order_by(col(AlertDelivery.id).desc())
        .limit(max(1, min(limit, 500)))
    )
    if everyone:
        if not principal.can(ADMIN_PERMISSION):
            raise PermissionDenied(f"role '{principal.role}' lacks permission '{ADMIN_PERMISSION}'")
    else:
        stmt = stmt.where(col(AlertDelivery.user_id) == _user_id(principal))
    return [
        DeliveryRead(
            id=d.id or 0,
            title=title,
            channel=f"{name} ({masked})",
            user=email or "team",
            reason=d.reason,
            urgent=d.urgent,
            status=d.status,
            attempts=d.attempts,
            last_error=d.last_error,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            delivered_at=d.delivered_at,
        )
        for d, title, name, masked, email in session.execute(stmt).all()
    ]
