"""Versions with real pictures and previews, rendered as the worker's renditions stage renders them."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from PIL import Image
from sqlmodel import Session

from dam_app.accounts.principal import Principal
from dam_app.assets.ingest import lock_numbering, next_number
from dam_app.assets.media import render
from dam_app.assets.models import Asset, Rendition, Version
from dam_app.config import get_settings
from dam_app.storage.blobs import get_blob_store
from dam_app.storage.models import ensure_blob
from dam_app.tagging import image_text
from tests.diff.pictures import encoded


def picture_version(
    session: Session,
    principal: Principal,
    asset: Asset,
    image: Image.Image,
    *,
    embedded: dict[str, Any] | None = None,
    preview: bool = True,
) -> Version:
    """A new version of `asset` holding `image` (PNG), processed: its preview rendered (unless
    `preview` is False) and no job queued."""
    store = get_blob_store()
    original = store.put_bytes(encoded(image))
    ensure_blob(session, original.sha256, original.size, "image/png")
    lock_numbering(session, asset.id)
    major, minor = next_number(session, asset.id, major=False)
    version = Version(
        asset_id=asset.id,
        major=major,
        minor=minor,
        blob_sha256=original.sha256,
        original_filename=f"banner-{uuid.uuid4().hex[:6]}.png",
        mime="image/png",
        size=original.size,
        width=image.width,
        height=image.height,
        embedded_metadata=embedded or {},
        created_by=principal.user_id,
    )
    session.add(version)
    session.flush()
    if preview:
        add_preview(session, version, image)
    asset.current_version_id = version.id  # as the worker leaves it once processed (no job queued)
    session.add(asset)
    session.flush()
    return version


def add_preview(session: Session, version: Version, image: Image.Image) -> None:
    """The preview the renditions stage would make, and the text the ocr stage reads from it."""
    rendered = render(image, get_settings().preview_px)
    stored = get_blob_store().put_bytes(rendered.data)
    ensure_blob(session, stored.sha256, stored.size, rendered.mime)
    session.add(
        Rendition(
            version_id=version.id,
            kind="preview",
            blob_sha256=stored.sha256,
            mime=rendered.mime,
            width=rendered.width,
            height=rendered.height,
        )
    )
    session.flush()
    image_text.read_version(session=session, version=version)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
