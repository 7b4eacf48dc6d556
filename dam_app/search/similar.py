"""Assets that look alike, for a caller: "more like this", search by a reference picture, and the
groups of near duplicates. Everything is limited to the caller's markets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import ColumnElement, and_, select
from sqlmodel import Session, col

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.media import open_image, probe_video
from dam_app.assets.models import Asset, MediaKind
from dam_app.assets.service import AssetCard
from dam_app.assets.sniff import RejectedFile, inspect_file
from dam_app.config import get_settings
from dam_app.errors import Conflict
from dam_app.search import signatures, visual
from dam_app.search.models import NearDuplicate, SearchDocument, VisualSignature

MAX_PAIRS = 20_000  # the duplicates view reads at most this many pairs


class NothingToCompare(Conflict):
    """The asset has neither pixels described yet nor a search document."""


@dataclass(frozen=True)
class SimilarHit:
    card: AssetCard
    similarity: float
    near_duplicate: bool


@dataclass(frozen=True)
class SimilarResult:
    basis: str  # "pixels" (visual signature) or "meaning" (text embedding, for documents)
    hits: list[SimilarHit]


@dataclass(frozen=True)
class DuplicateGroup:
    cards: list[AssetCard]  # oldest first: the first is most likely the original
    lowest_similarity: float


def similar_to_asset(*, session: Session, principal: Principal, asset_id: uuid.UUID, limit: int = 24) -> SimilarResult:
    """Pictures that look like this asset's; for a document (no pixels), assets that mean the same."""
    assets_service.visible_asset(session, principal, asset_id)
    limit = max(1, min(limit, 100))
    signature = session.get(VisualSignature, asset_id)
    if signature is not None:
        facts = (list(signature.vector), signature.phash, signature.dhash)
        return SimilarResult("pixels", _by_pixels(session, principal, *facts, exclude=asset_id, limit=limit))
    document = session.get(SearchDocument, asset_id)
    if document is None or document.embedding is None:
        raise NothingToCompare("this asset is still being processed: nothing to compare it with yet")
    return SimilarResult("meaning", _by_meaning(session, principal, list(document.embedding), asset_id, limit))


def similar_to_image(
    *, session: Session, principal: Principal, path: Path, filename: str, limit: int = 24
) -> SimilarResult:
    """Pictures that look like an uploaded reference (an image, or a video's first frame).

    The reference is checked like an upload (by content, corrupt files and bombs refused) and is
    not stored. Raises RejectedFile with the reason when it cannot be read as a picture.
    """
    principal.require("asset.read")
    inspection = inspect_file(path, filename, max_image_pixels=get_settings().max_image_pixels)
    image: Image.Image
    if inspection.media_kind == MediaKind.IMAGE:
        image = open_image(path, target_px=signatures.DESCRIBE_PX)
    elif inspection.media_kind == MediaKind.VIDEO:
        image = probe_video(path)[1]
    else:
        raise RejectedFile("not_a_picture", f"a reference must be an image or a video, not {inspection.mime}")
    facts = visual.describe(image)
    hits = _by_pixels(session, principal, facts.vector, facts.phash, facts.dhash, exclude=None, limit=limit)
    return SimilarResult("pixels", hits)


def duplicate_groups(*, session: Session, principal: Principal, limit: int = 50) -> list[DuplicateGroup]:
    """Sets of assets that are the same picture, largest sets first; only assets the caller may see."""
    pairs = session.execute(
        select(col(NearDuplicate.asset_id), col(NearDuplicate.duplicate_id), col(NearDuplicate.similarity)).limit(
            MAX_PAIRS
        )
    ).all()
    members = {a for pair in pairs for a in pair[:2]}
    if not members:
        return []
    visible_ids = _visible(session, assets_service.visibility(principal), members)
    parent: dict[uuid.UUID, uuid.UUID] = {}

    def root(node: uuid.UUID) -> uuid.UUID:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    shown = [(a, b, float(sim)) for a, b, sim in pairs if a in visible_ids and b in visible_ids]
    for first, second, _ in shown:
        parent[root(first)] = root(second)
    lowest: dict[uuid.UUID, float] = {}
    for first, _, similarity in shown:
        group = root(first)
        lowest[group] = min(lowest.get(group, 1.0), similarity)
    groups: dict[uuid.UUID, list[uuid.UUID]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    assets = {a.id: a for a in session.execute(select(Asset).where(col(Asset.id).in_(list(parent)))).scalars()}
    ordered = sorted(
        groups.items(),
        key=lambda item: (-len(item[1]), -max(assets[a].created_at.timestamp() for a in item[1])),
    )[:limit]
    result = []
    for group, ids in ordered:
        cards = assets_service.cards_for(session, sorted((assets[a] for a in ids), key=lambda a: a.created_at))
        result.append(DuplicateGroup(cards, round(lowest.get(group, 1.0), 4)))
    return result


def _visible(session: Session, where: ColumnElement[bool], ids: set[uuid.UUID]) -> set[uuid.UUID]:
    return set(session.execute(select(col(Asset.id)).where(and_(where, col(Asset.id).in_(list(ids))))).scalars())


def _by_pixels(
    session: Session,
    principal: Principal,
    vector: list[float],
    phash: str,
    dhash: str,
    *,
    exclude: uuid.UUID | None,
    limit: int,
) -> list[SimilarHit]:
    where = assets_service.visibility(principal)
    rows = signatures.nearest(session, vector, limit=limit, exclude=exclude, where=where)
    found: list[tuple[uuid.UUID, float, bool]] = []
    for row in rows:
        similarity = 1.0 - float(row.distance)
        bits = visual.hamming(phash, row.phash), visual.hamming(dhash, row.dhash)
        found.append((row.asset_id, round(similarity, 4), signatures.is_near_duplicate(similarity, *bits)))
    return _hits(session, found)


def _by_meaning(
    session: Session, principal: Principal, embedding: list[float], exclude: uuid.UUID, limit: int
) -> list[SimilarHit]:
    doc = SearchDocument
    distance = col(doc.embedding).cosine_distance(embedding)  # type: ignore[attr-defined]
    rows = session.execute(
        select(col(doc.asset_id), distance.label("distance"))
        .where(assets_service.visibility(principal, doc), col(doc.asset_id) != exclude, col(doc.embedding).is_not(None))
        .order_by(distance)
        .limit(limit)
    ).all()
    return _hits(session, [(r.asset_id, round(1.0 - float(r.distance), 4), False) for r in rows])


def _hits(session: Session, found: list[tuple[uuid.UUID, float, bool]]) -> list[SimilarHit]:
    assets = assets_service.assets_in_order(session, [asset_id for asset_id, _, _ in found])
    cards = {c.asset.id: c for c in assets_service.cards_for(session, assets)}
    return [SimilarHit(cards[a], similarity, dup) for a, similarity, dup in found if a in cards]
