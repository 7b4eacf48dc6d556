"""The worker side of similar images: store a version's visual signature, name its colours and
orientation on the asset, and record the other assets that are near duplicates of it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.assets.media import open_image
from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.assets.renditions import rendition_path
from dam_app.fields import utcnow
from dam_app.search import clip, visual
from dam_app.search.models import NearDuplicate, VisualSignature

DESCRIBE_PX = 256  # decode at about this size: the descriptor works on 64 x 64, the hashes on 32 x 32
EF_SEARCH = 100
DUPLICATE_NEIGHBOURS = 20
# Near duplicate: same colours and layout (cosine >= 0.95) and close perceptual hashes. Measured on
# generated shots and banners: resized, recompressed and 5%-cropped copies score <= 30 hash bits
# (phash + dhash, of 128); the same template with another product proportion scores 32-34, another
# colour falls below 0.95 similarity.
DUPLICATE_MIN_SIMILARITY = 0.95
DUPLICATE_MAX_HASH_BITS = 30


def is_near_duplicate(similarity: float, phash_bits: int, dhash_bits: int) -> bool:
    return similarity >= DUPLICATE_MIN_SIMILARITY and phash_bits + dhash_bits <= DUPLICATE_MAX_HASH_BITS


def store_signature(*, session: Session, version: Version) -> visual.VisualFacts | None:
    """Describe the version's thumbnail (a video's poster frame); None for documents, which have no
    pixels of their own. Colours and orientation go on the asset when this is its current version."""
    if not version.has_pixels:
        return None
    # The thumbnail (320 px) holds all the descriptor needs (64 px) and decodes in a fraction of the
    # preview's time.
    image = open_image(rendition_path(session, version.id, "thumbnail"), target_px=DESCRIBE_PX)
    facts = visual.describe(image)
    asset = session.get(Asset, version.asset_id)
    if asset is None or asset.current_version_id != version.id:
        return facts  # an older version finishing late does not describe the asset any more
    values = {
        "asset_id": asset.id,
        "version_id": version.id,
        "vector": facts.vector,
        "phash": facts.phash,
        "dhash": facts.dhash,
        "descriptor": visual.DESCRIPTOR,
        "updated_at": utcnow(),
    }
    session.execute(
        insert(VisualSignature)
        .values(**values)
        .on_conflict_do_update(index_elements=["asset_id"], set_={k: v for k, v in values.items() if k != "asset_id"})
    )
    asset.colours = [name for name, _ in facts.colours]
    asset.orientation = facts.orientation
    session.add(asset)
    session.flush()
    record_near_duplicates(session=session, asset_id=asset.id, facts=facts)
    clip.store_image_embedding(session=session, asset_id=asset.id, image=image)  # when a model is configured
    return facts


def record_near_duplicates(*, session: Session, asset_id: uuid.UUID, facts: visual.VisualFacts) -> int:
    """Replace the asset's near-duplicate pairs with those among its nearest visual neighbours."""
    session.execute(
        delete(NearDuplicate).where(
            or_(col(NearDuplicate.asset_id) == asset_id, col(NearDuplicate.duplicate_id) == asset_id)
        )
    )
    found = 0
    for row in nearest(session, facts.vector, limit=DUPLICATE_NEIGHBOURS, exclude=asset_id):
        similarity = 1.0 - float(row.distance)
        phash_bits, dhash_bits = visual.hamming(facts.phash, row.phash), visual.hamming(facts.dhash, row.dhash)
        if not is_near_duplicate(similarity, phash_bits, dhash_bits):
            continue
        first, second = sorted((asset_id, row.asset_id))
        session.execute(
            insert(NearDuplicate)
            .values(
                asset_id=first,
                duplicate_id=second,
                phash_distance=phash_bits,
                similarity=round(similarity, 4),
                found_at=utcnow(),
            )
            .on_conflict_do_nothing()
        )
        found += 1
    return found


def nearest(
    session: Session,
    vector: list[float],
    *,
    limit: int,
    exclude: uuid.UUID | None = None,
    where: Any = None,
) -> list[Any]:
    """Visual neighbours by HNSW (iterative scan, so a region filter cannot starve the list):
    rows of (asset_id, distance, phash, dhash), nearest first."""
    distance = col(VisualSignature.vector).cosine_distance(vector)  # type: ignore[attr-defined]
    signature = VisualSignature
    stmt = select(col(signature.asset_id), distance.label("distance"), col(signature.phash), col(signature.dhash))
    if where is not None:
        stmt = stmt.join(Asset, col(Asset.id) == col(VisualSignature.asset_id)).where(where)
    if exclude is not None:
        stmt = stmt.where(col(VisualSignature.asset_id) != exclude)
    session.execute(text(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}"))
    session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    rows = session.execute(stmt.order_by(distance).limit(limit)).all()
    return sorted(rows, key=lambda r: float(r.distance))


def asset_ids_needing_signature(
    *, session: Session, after: uuid.UUID | None = None, batch: int = 500
) -> list[uuid.UUID]:
    """Ready images and videos with no signature yet (ingested before signatures existed)."""
    stmt = (
        select(Asset.id)
        .outerjoin(VisualSignature, col(VisualSignature.asset_id) == col(Asset.id))
        .where(col(VisualSignature.asset_id).is_(None), col(Asset.media_kind).in_(("image", "video")))
        .where(col(Asset.status) == AssetStatus.READY)  # one still processing gets its visual stage anyway
        .order_by(col(Asset.id))
        .limit(batch)
    )
    if after is not None:
        stmt = stmt.where(col(Asset.id) > after)
    return list(session.exec(stmt))
