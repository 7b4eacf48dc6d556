"""Committed rows for the alert tests: people with channels and watches, assets, new versions made
through the same announce path as an upload."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets.ingest import lock_numbering, make_current, next_number
from dam_app.assets.models import Asset, Version
from dam_app.db import session_scope
from dam_app.notify import channels, service
from dam_app.notify.models import AlertDelivery
from dam_app.storage.models import Blob
from tests import factories


def person(role: str = "editor", regions: Sequence[str] = ("NA",), name: str | None = None) -> Principal:
    with session_scope() as session:
        return factories.user(session, role=role, regions=regions, display_name=name).principal


def asset(*, markets: Sequence[str] = ("NA",), created_by: uuid.UUID | None = None, **fields: object) -> uuid.UUID:
    with session_scope() as session:
        return factories.asset(session, markets=markets, created_by=created_by, index=False, **fields).id  # type: ignore[arg-type]


def add_channel(principal: Principal, url: str, name: str = "", **kwargs: object) -> uuid.UUID:
    with session_scope() as session:
        return channels.add_channel(session=session, principal=principal, url=url, name=name, **kwargs).id  # type: ignore[arg-type]


def watch(principal: Principal, kind: str, target: str) -> None:
    with session_scope() as session:
        service.watch(session=session, principal=principal, kind=kind, target=target)


def new_version(principal: Principal, asset_id: uuid.UUID, note: str = "", *, urgent: bool = False) -> Version:
    """A new version with fresh bytes, made current and announced like an upload (one transaction)."""
    with session_scope() as session:
        return add_version(session, principal, asset_id, note, urgent=urgent)


def add_version(
    session: Session, principal: Principal, asset_id: uuid.UUID, note: str = "", *, urgent: bool = False
) -> Version:
    """`new_version` inside the caller's transaction."""
    lock_numbering(session, asset_id)
    record = session.get(Asset, asset_id)
    assert record is not None
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    session.add(Blob(sha256=sha, size=1, mime="image/jpeg"))
    major, minor = next_number(session, asset_id, major=False)
    version = Version(
        asset_id=asset_id,
        major=major,
        minor=minor,
        blob_sha256=sha,
        original_filename="next.jpg",
        mime="image/jpeg",
        size=1,
        change_note=note,
        created_by=principal.user_id,
    )
    session.add(version)
    session.flush()
    make_current(session, principal, record, version, "version.add", {"version": version.label}, urgent=urgent)
    return version


def deliveries() -> list[AlertDelivery]:
    with session_scope() as session:
        return list(session.exec(select(AlertDelivery).order_by(col(AlertDelivery.id))).all())
