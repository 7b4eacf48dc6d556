"""Attach and read tags; the vocabulary grows as people and analysers use new labels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, tuple_
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
    slug = _slug(name)
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
    wanted = {_slug(n): n.strip()[:120] for n in names if n.strip()}
    if not wanted:
        return
    ids = _vocabulary(session, {(kind, slug): name for slug, name in wanted.items()})
    stmt = insert(AssetTag).values(
        [{"asset_id": asset_id, "tag_id": t, "source": source, "evidence": evidence[:500]} for t in ids.values()]
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["asset_id", "tag_id"], set_={"evidence": stmt.excluded.evidence})
    )


def _slug(name: str) -> str:
    return slugify(name) or name.strip().lower()


def _vocabulary(session: Session, wanted: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """The ids of these (kind, slug) tags, adding the missing ones to the vocabulary: two statements
    however many tags."""
    session.execute(
        insert(Tag)
        .values([{"kind": kind, "slug": slug, "name": name, "labels": {}} for (kind, slug), name in wanted.items()])
        .on_conflict_do_nothing(constraint="uq_tags_kind_slug")
    )
    rows = session.exec(select(Tag).where(tuple_(col(Tag.kind), col(Tag.slug)).in_(list(wanted)))).all()
    return {(row.kind, row.slug): row.id for row in rows if row.id is not None}


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
    chosen = {(tag.kind, _slug(tag.name)): tag for tag in tags if tag.name.strip()}  # one row per tag
    if not chosen:
        return
    ids = _vocabulary(session, {key: tag.name.strip()[:120] for key, tag in chosen.items()})
    stmt = insert(AssetTag).values(
        [
            {
                "asset_id": asset_id,
                "tag_id": ids[key],
                "source": TagSource.AUTO,
                "stage": stage,
                "confidence": max(0.0, min(1.0, tag.confidence)),
                "evidence": tag.evidence[:500],
            }
            for key, tag in chosen.items()
        ]
    )
    # One statement, so the asset's labels are recomputed once (migration 0005's statement trigger).
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["asset_id", "tag_id"],
            set_={"confidence": stmt.excluded.confidence, "evidence": stmt.excluded.evidence, "stage": stage},
            where=col(AssetTag.source) == TagSource.AUTO,
        )
    )
