"""A version's rendition of one kind, for the stages and reads that work from the preview or the
thumbnail instead of the original."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlmodel import Session, select

from dam_app.assets.models import Rendition
from dam_app.storage.blobs import get_blob_store


def rendition_of(session: Session, version_id: uuid.UUID, kind: str) -> Rendition | None:
    """The version's "thumbnail" or "preview"; None until the renditions stage has made it."""
    return session.exec(select(Rendition).where(Rendition.version_id == version_id, Rendition.kind == kind)).first()


def rendition_path(session: Session, version_id: uuid.UUID, kind: str) -> Path:
    """The file of the version's rendition, for a stage that runs after the renditions stage; a
    LookupError (the job retries) when it does not exist yet."""
    rendition = rendition_of(session, version_id, kind)
    if rendition is None:
        raise LookupError(f"version {version_id} has no {kind} yet")
    return get_blob_store().path_of(rendition.blob_sha256)
