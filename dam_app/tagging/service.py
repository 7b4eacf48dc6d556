"""Attach and read tags; the vocabulary grows as people and analysers use new labels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.catalog.service import slugify
from dam_app.tagging.models import AssetTag, Tag, TagKind, TagSource


@dataclass(frozen=True)
class AssetTagView:
    kind: str
    name: str
    source: str
    confidence: float
    evidence: str


def ensure_tag(*, session: Session, kind: TagKind, name: str) -> Tag:
    slug = slugify(name) or name.strip().lower()
    session.execute(
        insert(Tag)
        .values(kind=kind, slug=slug, name=name.strip()[:120], labels={})
        .on_conflict_do_nothing(constraint="uq_tags_kind_slug")
    )
    tag = session.exec(select(Tag).where(Tag.kind == kind, Tag.slug == slug)).one()
    return tag


def attach(
    *,
    session: Session,
    asset_id: uuid.UUID,
    kind: TagKind,
    name: str,
    source: TagSource,
    confidence: float = 1.0,
    evidence: str = "",
    created_by: uuid.UUID | None = None,
) -> None:
    """Idempotent: attaching the same tag again updates its confidence and evidence."""
    if not name.strip():
        return
    tag = ensure_tag(session=session, kind=kind, name=name)
    session.execute(
        insert(AssetTag)
        .values(
            asset_id=asset_id,
            tag_id=tag.id,
            source=source,
            confidence=max(0.0, min(1.0, confidence)),
            evidence=evidence[:500],
            created_by=created_by,
        )
        .on_conflict_do_update(
            index_elements=["asset_id", "tag_id"], set_={"confidence": confidence, "evidence": evidence[:500]}
        )
    )


def attach_many(
    *,
    session: Session,
    asset_id: uuid.UUID,
    kind: TagKind,
    names: list[str],
    source: TagSource,
    evidence: str = "",
) -> None:
    """`attach` for many names in two statements (the vocabulary, then the asset's tags), so the
    asset's labels are recomputed once, not once per tag (migration 0005's statement trigger)."""
    wanted = {slugify(n) or n.strip().lower(): n.strip()[:120] for n in names if n.strip()}
    if not wanted:
        return
    session.execute(
        insert(Tag)
        .values([{"kind": kind, "slug": slug, "name": name, "labels": {}} for slug, name in wanted.items()])
        .on_conflict_do_nothing(constraint="uq_tags_kind_slug")
    )
    tag_ids = session.exec(select(Tag.id).where(Tag.kind == kind, col(Tag.slug).in_(list(wanted)))).all()
    stmt = insert(AssetTag).values(
        [{"asset_id": asset_id, "tag_id": t, "source": source, "evidence": evidence[:500]} for t in tag_ids]
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["asset_id", "tag_id"], set_={"evidence": stmt.excluded.evidence})
    )


def tags_for(*, session: Session, asset_id: uuid.UUID) -> list[AssetTagView]:
    rows = session.exec(
        select(Tag, AssetTag)
        .join(AssetTag, col(AssetTag.tag_id) == col(Tag.id))
        .where(AssetTag.asset_id == asset_id)
        .order_by(col(Tag.kind), col(Tag.name))
    ).all()
    return [AssetTagView(t.kind, t.name, at.source, at.confidence, at.evidence) for t, at in rows]
