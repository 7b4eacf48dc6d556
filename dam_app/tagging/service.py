"""Attach and read tags; the vocabulary grows as people and analysers use new labels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete
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
    """Idempotent: attaching the same tag again updates its confidence and evidence; a person
    attaching a tag an analyser found makes it theirs, and an analyser never rewrites a person's."""
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
            index_elements=["asset_id", "tag_id"],
            set_=_claim(source, confidence, evidence, created_by),
            # an analyser never rewrites a person's tag; a person's attach makes the tag theirs
            where=None if source == TagSource.PERSON else col(AssetTag.source) == TagSource.AUTO,
        )
    )


def _claim(source: TagSource, confidence: float, evidence: str, created_by: uuid.UUID | None) -> dict[str, object]:
    values: dict[str, object] = {"confidence": max(0.0, min(1.0, confidence)), "evidence": evidence[:500]}
    if source == TagSource.PERSON:
        values |= {"source": TagSource.PERSON, "stage": None, "created_by": created_by}
    return values


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


@dataclass(frozen=True)
class StageTag:
    """A tag a processing stage derives, with how sure it is and why."""

    kind: TagKind
    name: str
    confidence: float
    evidence: str


def replace_stage_tags(*, session: Session, asset_id: uuid.UUID, stage: str, tags: list[StageTag]) -> None:
    """The asset's automatic tags from `stage` become exactly `tags`: a re-run drops what it no longer
    finds, and a tag a person attached is never touched (its row stays a person's)."""
    session.execute(
        delete(AssetTag).where(
            col(AssetTag.asset_id) == asset_id, col(AssetTag.stage) == stage, col(AssetTag.source) == TagSource.AUTO
        )
    )
    for tag in tags:
        row = ensure_tag(session=session, kind=tag.kind, name=tag.name)
        stmt = insert(AssetTag).values(
            asset_id=asset_id,
            tag_id=row.id,
            source=TagSource.AUTO,
            stage=stage,
            confidence=max(0.0, min(1.0, tag.confidence)),
            evidence=tag.evidence[:500],
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["asset_id", "tag_id"],
                set_={"confidence": stmt.excluded.confidence, "evidence": stmt.excluded.evidence, "stage": stage},
                where=col(AssetTag.source) == TagSource.AUTO,
            )
        )
