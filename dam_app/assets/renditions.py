"""A version's rendition of one kind, for the stages and reads that work from the preview or the
thumbnail instead of the original."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, select

from dam_app.assets.media import RenderedImage
from dam_app.assets.models import Rendition
from dam_app.fields import utcnow
from dam_app.storage.blobs import StoredBlob, get_blob_store
from dam_app.storage.models import ensure_blob

FRAME_PREFIX = "frame-"  # renditions kept for comment threads (comments/frames.py), not the version's own


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


def keep_rendition(session: Session, version_id: uuid.UUID, kind: str, rendered: RenderedImage) -> None:
    """Store the picture as the version's rendition of this kind, replacing an earlier one (a stage
    run again makes the same kinds)."""
    stored = get_blob_store().put_bytes(rendered.data)
    _upsert(session, version_id, kind, stored, rendered.mime, rendered.width, rendered.height)


def keep_rendition_file(
    session: Session, version_id: uuid.UUID, kind: str, path: Path, mime: str, size: tuple[int, int]
) -> None:
    """The same for a file made on disk (a video's proxy)."""
    _upsert(session, version_id, kind, get_blob_store().put_file(path), mime, *size)


def _upsert(
    session: Session, version_id: uuid.UUID, kind: str, stored: StoredBlob, mime: str, width: int, height: int
) -> None:
    ensure_blob(session, stored.sha256, stored.size, mime)
    session.execute(
        insert(Rendition)
        .values(
            id=uuid.uuid4(),
            version_id=version_id,
            kind=kind,
            blob_sha256=stored.sha256,
            mime=mime,
            width=width,
            height=height,
            created_at=utcnow(),
        )
        .on_conflict_do_update(
            constraint="uq_renditions_kind",
            set_={"blob_sha256": stored.sha256, "mime": mime, "width": width, "height": height},
        )
    )
