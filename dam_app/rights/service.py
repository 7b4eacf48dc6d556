"""Keep an asset's rights records: list, add, edit (with the revision read, so a stale edit is refused
rather than lost), remove. Every change is audited and the asset's verdicts are judged again in the
same transaction. Two records of one scope (the asset, or one version) may not claim the same market
for overlapping periods: which of them would hold is a question for a person, not for the code."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset, RightsRecord, Version
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Conflict, Invalid, NotFound
from dam_app.events import AssetChanged, Audience
from dam_app.fields import utcnow
from dam_app.reactions import publish_on_commit
from dam_app.rights import verdicts
from dam_app.rights.models import Music, RightsRecordIn, RightsRecordRead, Usage

MODEL_RELEASES = {"MR-NON", "MR-NAP", "MR-UMR", "MR-LMR"}  # PLUS: none, not applicable, unlimited, limited
PROPERTY_RELEASES = {"PR-NON", "PR-NAP", "PR-UPR", "PR-LPR"}
PERSON = "person"
EMBEDDED = "embedded"
_AUDITED = (
    "licence_source", "licence_id", "licensed_markets", "licence_start", "licence_end", "usages",
    "model_release_status", "property_release_status", "minors", "music", "music_licence", "version_id",
)  # fmt: skip


def records_for(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> list[RightsRecordRead]:
    """The asset's records: those for the whole asset first, then per version, each by start date."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    return _reads(session, _records(session, asset.id))


def save_record(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    data: RightsRecordIn,
    record_id: int | None = None,
    revision: int | None = None,
) -> RightsRecordRead:
    """Add a record (`record_id` None) or replace one, given the revision the editor read."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    principal.require("asset.review")
    values = _validated(session, principal, asset, data)
    records = _records(session, asset.id, lock=True)
    record = _find(records, record_id) if record_id is not None else None
    if record is not None:
        _require_scope(session, principal, record.licensed_markets)  # what it covered before the edit
    if record is not None and revision != record.revision:
        raise Conflict(
            f"the record was changed meanwhile (revision {record.revision}, you edited {revision}); "
            "reload it and make your change again"
        )
    _refuse_overlap(session, values, [r for r in records if r is not record])
    before = _audited(record) if record is not None else None
    if record is None:
        record = RightsRecord(asset_id=asset.id, source=PERSON, created_by=principal.user_id)
    else:
        record.revision += 1
    for name, value in values.items():
        setattr(record, name, value)
    record.source = PERSON  # a person's word outranks what a later file says (assets/stages.py)
    record.updated_at = utcnow()
    if before is None or before.get("licence_end") != _audited(record).get("licence_end"):
        record.expiry_alerted_for = None  # a new end date gets its own notice
    session.add(record)
    session.flush()
    _changed(
        session, principal, asset, "rights.save", {"record_id": record.id, "before": before, "after": _audited(record)}
    )
    return _reads(session, [record])[0]


def delete_record(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, record_id: int, revision: int | None
) -> None:
    asset = assets_service.visible_asset(session, principal, asset_id)
    principal.require("asset.review")
    record = _find(_records(session, asset.id, lock=True), record_id)
    _require_scope(session, principal, record.licensed_markets)
    if revision is not None and revision != record.revision:
        raise Conflict(f"the record was changed meanwhile (revision {record.revision}); reload it before removing it")
    session.delete(record)
    session.flush()
    _changed(session, principal, asset, "rights.delete", {"record_id": record_id, "before": _audited(record)})


def _changed(session: Session, principal: Principal, asset: Asset, action: str, details: dict[str, Any]) -> None:
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=action,
        object_type="asset",
        object_id=asset.id,
        details=details,
    )
    verdicts.refresh(session=session, asset_id=asset.id)
    publish_on_commit(session, AssetChanged(asset_id=asset.id, audience=Audience.of(asset), fields=("rights",)))


def _records(session: Session, asset_id: uuid.UUID, *, lock: bool = False) -> list[RightsRecord]:
    query = select(RightsRecord).where(RightsRecord.asset_id == asset_id)
    if lock:  # two editors of one asset's records take turns, so the overlap check sees the other's save
        session.exec(select(Asset.id).where(Asset.id == asset_id).with_for_update())
    return list(session.exec(query.order_by(col(RightsRecord.version_id).nulls_first(), col(RightsRecord.id))))


def _find(records: Iterable[RightsRecord], record_id: int) -> RightsRecord:
    found = next((r for r in records if r.id == record_id), None)
    if found is None:
        raise NotFound("rights record", record_id)
    return found


def _validated(session: Session, principal: Principal, asset: Asset, data: RightsRecordIn) -> dict[str, Any]:
    """The record's columns from what was entered; Invalid naming the first thing wrong."""
    markets = sorted({m.strip().upper() for m in data.licensed_markets if m.strip()})
    if not markets:
        raise Invalid("name the markets the licence covers (GLOBAL for everywhere)")
    known = {m.code for m in catalog_service.vocabulary(session=session).markets}
    unknown = [m for m in markets if m not in known]
    if unknown:
        raise Invalid(f"unknown market(s) {', '.join(unknown)}; use one of {', '.join(sorted(known))}")
    _require_scope(session, principal, markets)
    usages = sorted({u.strip().lower() for u in data.usages if u.strip()})
    if bad := [u for u in usages if u not in set(Usage)]:
        raise Invalid(f"unknown usage(s) {', '.join(bad)}; use {', '.join(Usage)}")
    model, prop = data.model_release_status.strip().upper(), data.property_release_status.strip().upper()
    if model and model not in MODEL_RELEASES:
        raise Invalid(f"model release '{model}' is not a PLUS code; use {', '.join(sorted(MODEL_RELEASES))}")
    if prop and prop not in PROPERTY_RELEASES:
        raise Invalid(f"property release '{prop}' is not a PLUS code; use {', '.join(sorted(PROPERTY_RELEASES))}")
    if data.music not in {m.value for m in Music}:
        raise Invalid("music is '' (not recorded), 'licensed' or 'no_music'")
    start, end = _aware(data.licence_start), _aware(data.licence_end)
    if start and end and start >= end:
        raise Invalid(f"the licence ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    if data.version_id is not None:
        version = session.get(Version, data.version_id)
        if version is None or version.asset_id != asset.id:
            raise Invalid("that version is not one of this asset's")
    return {
        "licence_source": data.licence_source.strip() or None,
        "licence_id": data.licence_id.strip() or None,
        "licensed_markets": markets,
        "licence_start": start,
        "licence_end": end,
        "usages": usages,
        "model_release_status": model or None,
        "property_release_status": prop or None,
        "minors": data.minors,
        "music": data.music,
        "music_licence": data.music_licence.strip() or None,
        "creator": data.creator.strip() or None,
        "copyright_notice": data.copyright_notice.strip() or None,
        "note": data.note.strip(),
        "version_id": data.version_id,
    }


def _require_scope(session: Session, principal: Principal, markets: list[str]) -> None:
    """A reviewer keeps records of their own markets; a worldwide one is for reviewers of all markets."""
    global_codes = set(catalog_service.global_market_codes(session=session))
    if set(markets) & global_codes and not principal.all_regions:
        raise PermissionDenied("only a reviewer of all markets may change a worldwide licence")
    principal.require_markets([m for m in markets if m not in global_codes])


def _refuse_overlap(session: Session, values: dict[str, Any], others: list[RightsRecord]) -> None:
    """Conflict when another record of the same scope claims one of these markets for an overlapping
    period: the reader could not tell which terms hold."""
    global_codes = set(catalog_service.global_market_codes(session=session))
    mine = set(values["licensed_markets"])
    for other in others:
        if other.version_id != values["version_id"] or not other.licensed_markets:
            continue  # another scope, or a file's record that names no territory
        theirs = set(other.licensed_markets)
        shared = mine & theirs or (mine | theirs if (mine | theirs) & global_codes else set())
        if not shared:
            continue
        if _overlaps(values["licence_start"], values["licence_end"], other.licence_start, other.licence_end):
            raise Conflict(
                f"record #{other.id} ({other.licence_source or 'no licensor'}, {', '.join(other.licensed_markets)}, "
                f"{_period(other.licence_start, other.licence_end)}) already covers {', '.join(sorted(shared))} "
                "for an overlapping period: edit that record, or narrow the markets or dates"
            )


def _overlaps(
    a_start: datetime | None, a_end: datetime | None, b_start: datetime | None, b_end: datetime | None
) -> bool:
    return (a_end is None or b_start is None or b_start < a_end) and (
        b_end is None or a_start is None or a_start < b_end
    )


def _period(start: datetime | None, end: datetime | None) -> str:
    return f"{f'{start:%Y-%m-%d}' if start else 'open'} to {f'{end:%Y-%m-%d}' if end else 'open'}"


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _audited(record: RightsRecord | None) -> dict[str, Any]:
    if record is None:
        return {}
    return {
        name: (
            value.isoformat() if isinstance(value, datetime) else str(value) if isinstance(value, uuid.UUID) else value
        )
        for name in _AUDITED
        for value in [getattr(record, name)]
    }


def _reads(session: Session, records: list[RightsRecord]) -> list[RightsRecordRead]:
    ids = [r.version_id for r in records if r.version_id]
    labels = {
        vid: f"v{major}.{minor}"
        for vid, major, minor in session.exec(
            select(Version.id, Version.major, Version.minor).where(col(Version.id).in_(ids))
        )
    } if ids else {}  # fmt: skip
    reads = []
    for r in records:
        assert r.id is not None
        fields = {name: getattr(r, name) for name in RightsRecordIn.model_fields}
        for name, value in fields.items():
            if value is None and name not in {"licence_start", "licence_end", "version_id"}:
                fields[name] = ""
        reads.append(
            RightsRecordRead(
                **fields,
                id=r.id,
                asset_id=r.asset_id,
                version_label=labels.get(r.version_id) if r.version_id else None,
                source=r.source,
                revision=r.revision,
                updated_at=r.updated_at,
            )
        )
    return reads
