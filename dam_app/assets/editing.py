"""Edit an asset's own details (title, description, classification, tags a person gave it).

Each field left as None stays as it is. The filter columns reach search at once (the mirroring
trigger, migration 0003); the words and the embedding are rebuilt by an index job queued after the
commit, which skips the model when the text did not change. Every edit is audited with its before
and after values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from dam_app.accounts.principal import Principal
from dam_app.assets import classify
from dam_app.assets.models import Asset
from dam_app.assets.service import visible_asset
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Invalid
from dam_app.events import AssetChanged, Audience
from dam_app.reactions import publish_on_commit
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import AssetTag, Tag, TagKind, TagSource

MAX_TITLE = 300
MAX_DESCRIPTION = 10_000
MAX_TAG = 120
CLASSIFICATION = ("markets", "content_type", "campaign", "phase", "channel", "language")


class InvalidEdit(Invalid):
    """The edit breaks a rule; the message says which, and nothing was changed."""


@dataclass
class AssetEdit:
    """What to change; None keeps a field. "" clears an optional classification field."""

    title: str | None = None
    description: str | None = None
    markets: list[str] | None = None
    content_type: str | None = None
    campaign: str | None = None
    phase: str | None = None
    channel: str | None = None
    language: str | None = None
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)


def edit_asset(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    edit: AssetEdit,
) -> Asset:
    """Apply `edit` or raise (PermissionDenied, AssetNotFound, UnknownValue, InvalidEdit) with
    nothing changed; the index job is queued once the transaction commits."""
    principal.require("asset.write")
    asset = visible_asset(session, principal, asset_id)
    principal.require_markets(asset.markets)  # one may only edit assets of one's own markets
    changes = _field_changes(session, principal, asset, edit)
    added, removed = _tag_changes(session, asset.id, edit)
    if not changes and not added and not removed:
        return asset
    for name, (_, new) in changes.items():
        setattr(asset, name, new)
    asset.updated_at = datetime.now(UTC)
    session.add(asset)
    if added:
        tagging_service.attach_many(
            session=session, asset_id=asset.id, kind=TagKind.BUSINESS, names=added, source=TagSource.PERSON
        )
    if removed:
        session.execute(delete(AssetTag).where(col(AssetTag.asset_id) == asset.id, col(AssetTag.tag_id).in_(removed)))
    details: dict[str, Any] = {name: {"from": old, "to": new} for name, (old, new) in changes.items()}
    if added:
        details["tags_added"] = added
    if removed:
        details["tags_removed"] = sorted(edit.remove_tags)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="asset.edit",
        object_type="asset",
        object_id=asset.id,
        details=details,
    )
    session.flush()
    changed = (*changes, *(["tags"] if added or removed else []))
    publish_on_commit(session, AssetChanged(asset_id=asset.id, fields=changed, audience=Audience.of(asset)))
    return asset


def _field_changes(session: Session, principal: Principal, asset: Asset, edit: AssetEdit) -> dict[str, tuple[Any, Any]]:
    """Field -> (old, new) for every field the edit really changes, validated."""
    wanted: dict[str, Any] = {}
    if edit.title is not None:
        title = " ".join(edit.title.split())
        if not title:
            raise InvalidEdit("the title cannot be empty")
        if len(title) > MAX_TITLE:
            raise InvalidEdit(f"the title is {len(title)} characters; at most {MAX_TITLE}")
        wanted["title"] = title
    if edit.description is not None:
        if len(edit.description) > MAX_DESCRIPTION:
            raise InvalidEdit(f"the description is {len(edit.description)} characters; at most {MAX_DESCRIPTION}")
        wanted["description"] = edit.description.strip()
    given = {name: getattr(edit, name) for name in CLASSIFICATION if getattr(edit, name) is not None}
    if given:
        current = classify.Classification(
            markets=asset.markets,
            content_type=asset.content_type,
            campaign=_campaign_name(session, asset.campaign),
            phase=asset.phase,
            channel=asset.channel,
            language=asset.language,
        )
        for name, value in given.items():  # "" clears an optional field; markets is always a list
            setattr(current, name, value if name == "markets" else value or None)
        lexicon = catalog_service.cached_lexicon(session=session)
        resolved = classify.resolve(session=session, lexicon=lexicon, raw=current)
        if not resolved.markets:
            raise InvalidEdit("an asset needs at least one market")
        principal.require_markets(resolved.markets)
        wanted.update({name: getattr(resolved, name) for name in given})
    return {name: (getattr(asset, name), new) for name, new in wanted.items() if getattr(asset, name) != new}


def _campaign_name(session: Session, slug: str | None) -> str | None:
    campaign = catalog_service.campaign(session=session, slug=slug) if slug else None
    return campaign.name if campaign else None


def _tag_changes(session: Session, asset_id: uuid.UUID, edit: AssetEdit) -> tuple[list[str], list[int]]:
    """Names to attach (trimmed, new to the asset) and the ids of attached tags to take off."""
    for name in [*edit.add_tags, *edit.remove_tags]:
        if len(name.strip()) > MAX_TAG:
            raise InvalidEdit(f"a tag is at most {MAX_TAG} characters")
    on_asset = select(Tag.id, Tag.name).join(AssetTag, col(AssetTag.tag_id) == col(Tag.id))
    attached = session.exec(on_asset.where(AssetTag.asset_id == asset_id)).all()
    by_name: dict[str, int] = {name.lower(): tag_id for tag_id, name in attached if tag_id is not None}
    removing = {n.strip().lower() for n in edit.remove_tags if n.strip()}
    unknown = sorted(removing - set(by_name))
    if unknown:
        raise InvalidEdit(f"the asset has no tag {', '.join(map(repr, unknown))}")
    added = list(dict.fromkeys(n.strip() for n in edit.add_tags if n.strip() and n.strip().lower() not in by_name))
    return added, [by_name[n] for n in sorted(removing)]
