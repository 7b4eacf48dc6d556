"""Rows for tests, written straight into a given session (no worker, no upload): users with their
Principal, ready assets with a version, API tokens. Keyword arguments, sensible defaults, unique names."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.accounts.security import hash_password
from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.db import session_scope
from dam_app.search import documents
from dam_app.storage.models import Blob
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import TagKind, TagSource

PASSWORD = "correct-horse-battery"


class Member(NamedTuple):
    """A user and the Principal services take for them; unpacks like `make_user`'s pair."""

    user: User
    principal: Principal


@functools.cache
def _hashed(password: str) -> str:
    return hash_password(password)  # argon2 is slow on purpose: hash each password once per run


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def user(
    session: Session,
    *,
    role: str = "editor",
    regions: Sequence[str] = (),
    all_regions: bool = False,
    email: str | None = None,
    password: str = PASSWORD,
    display_name: str | None = None,
) -> Member:
    """A user of `role` scoped to `regions` (market codes), with its Principal."""
    email = (email or f"{_unique(role)}@example.com").lower()
    record = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=_hashed(password),
        role=role,
        region_codes=sorted({code.upper() for code in regions}),
        all_regions=all_regions,
    )
    session.add(record)
    session.flush()
    return Member(record, accounts.principal_for(session=session, user=record))


def admin(session: Session) -> Principal:
    return user(session, role="admin", all_regions=True).principal


def api_token(session: Session, *, user_id: uuid.UUID, name: str = "test", days: int | None = 365) -> str:
    """A fresh bearer token for `user_id` (the plain text; only its hash is stored)."""
    return accounts.issue_api_token(session=session, user_id=user_id, name=name, days=days).token


def bearer(user_id: uuid.UUID | None) -> dict[str, str]:
    """Authorization headers with a fresh API token for `user_id`, committed in a session of its own."""
    assert user_id is not None
    with session_scope() as session:
        return {"Authorization": f"Bearer {api_token(session, user_id=user_id)}"}


def asset(
    session: Session,
    *,
    title: str | None = None,
    description: str = "",
    markets: Sequence[str] = ("NA",),
    content_type: str | None = None,
    phase: str | None = None,
    channel: str | None = None,
    campaign: str | None = None,
    status: str = AssetStatus.READY,
    media_kind: str = "image",
    colours: Sequence[str] = (),
    orientation: str | None = None,
    tags: Sequence[str] = (),
    copy: str = "",
    filename: str | None = None,
    created_by: uuid.UUID | None = None,
    created_at: datetime | None = None,
    index: bool = True,
) -> Asset:
    """An asset with a v1.0 on a one-byte blob of its own, as the worker would leave it (`status`
    ready by default), tagged with `tags` and, if `index`, with its search document written."""
    title = title or _unique("Asset")
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    session.add(Blob(sha256=sha, size=1, mime="image/jpeg"))
    record = Asset(
        title=title,
        description=description,
        markets=list(markets),
        content_type=content_type,
        phase=phase,
        channel=channel,
        campaign=campaign,
        status=status,
        media_kind=media_kind,
        colours=list(colours),
        orientation=orientation,
        created_by=created_by,
    )
    if created_at:
        record.created_at = record.updated_at = created_at
    session.add(record)
    session.flush()
    version = Version(
        asset_id=record.id,
        blob_sha256=sha,
        original_filename=filename or f"{uuid.uuid4().hex[:8]}.jpg",
        mime="image/jpeg",
        size=1,
        extracted_text=copy,
    )
    if created_at:
        version.created_at = created_at
    session.add(version)
    session.flush()
    record.current_version_id = version.id
    for tag in tags:
        tagging_service.attach(
            session=session, asset_id=record.id, kind=TagKind.VISUAL, name=tag, source=TagSource.PERSON
        )
    session.flush()
    if index:
        documents.index_asset(session=session, asset_id=record.id)
    return record
