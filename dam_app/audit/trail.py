"""The audit trail as people read it: who approved, excepted, changed rights, downloaded a blocked
original anyway or edited a rule pack, filterable, newest first, a page at a time or whole as CSV.

Reviewers read the events of assets in their markets; admins read everything (sign-in lockouts,
users and channels included). Pages are keyset on the event id, so the thousandth page costs what
the first does and an export streams in batches without one long transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Uuid, and_, case, cast, or_
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset
from dam_app.audit.models import AuditEvent
from dam_app.errors import Invalid
from dam_app.spreadsheet import csv_line

ADMIN_PERMISSION = "system.manage"
REVIEW_PERMISSION = "asset.review"
MAX_PAGE = 200
EXPORT_BATCH = 1000
MAX_EXPORT = 100_000

# What people filter by, and the actions each kind gathers.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "approval": ("Approvals", ("asset.approved", "asset.approved_with_changes", "asset.rejected")),
    "exception": ("Compliance exceptions", ("compliance.exception",)),
    "rights": ("Rights changes", ("rights.save", "rights.delete")),
    "override": ("Blocked downloads overridden", ("asset.download_override",)),
    "pack": ("Rule pack edits", ("compliance.pack_saved",)),
    "edit": ("Asset edits", ("asset.edit", "asset.create")),
    "download": ("Downloads and plays", ("asset.download", "asset.play")),
    "comment": ("Comments", ("comment.add", "comment.edit", "comment.resolve", "comment.reopen", "comment.place")),
}
LABELS = {
    "asset.approved": "approved",
    "asset.approved_with_changes": "approved with changes",
    "asset.rejected": "rejected",
    "compliance.exception": "accepted a compliance finding",
    "rights.save": "saved a rights record",
    "rights.delete": "removed a rights record",
    "asset.download_override": "downloaded a blocked original",
    "compliance.pack_saved": "saved a rule pack",
    "asset.edit": "edited",
    "asset.create": "created",
    "asset.download": "downloaded",
    "asset.play": "played the video",
}
_SUMMARY_KEYS = ("market", "stage", "note", "reason", "evidence", "rule", "matched", "record_id", "key", "version")
CSV_HEADER = ("when (UTC)", "who", "action", "asset id", "asset", "details")


@dataclass(frozen=True)
class TrailFilter:
    kinds: list[str] = field(default_factory=list)
    actor: str = ""  # part of an e-mail address
    asset_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


class TrailRow(BaseModel):
    """One event as the page, the API and the CSV show it."""

    id: int
    at: datetime
    actor: str
    action: str
    label: str
    asset_id: str
    asset_title: str
    summary: str


@dataclass(frozen=True)
class TrailPage:
    rows: list[TrailRow]
    next_before: int | None  # the `before` of the next page; None: this was the last


def _asset_key() -> Any:
    """The event's asset id as text: its object for asset events, else the asset its details name."""
    return case(
        (col(AuditEvent.object_type) == "asset", col(AuditEvent.object_id)),
        else_=AuditEvent.details["asset_id"].astext,
    )


def _conditions(principal: Principal, filt: TrailFilter) -> list[Any]:
    if not (principal.can(ADMIN_PERMISSION) or principal.can(REVIEW_PERMISSION)):
        raise PermissionDenied("the audit trail is for reviewers and admins")
    unknown = [k for k in filt.kinds if k not in KINDS]
    if unknown:
        raise Invalid(f"unknown kind(s) {', '.join(unknown)}; use {', '.join(KINDS)}")
    if filt.since and filt.until and filt.since >= filt.until:
        raise Invalid("'since' must be before 'until'")
    conditions: list[Any] = []
    if filt.kinds:
        conditions.append(col(AuditEvent.action).in_([a for k in filt.kinds for a in KINDS[k][1]]))
    if filt.actor.strip():
        conditions.append(col(User.email).icontains(filt.actor.strip().lower(), autoescape=True))
    if filt.asset_id is not None:
        asset = str(filt.asset_id)  # either side served by an index (object_id; ix_audit_events_asset_id)
        conditions.append(
            or_(
                and_(col(AuditEvent.object_type) == "asset", col(AuditEvent.object_id) == asset),
                AuditEvent.details["asset_id"].astext == asset,
            )
        )
    if filt.since is not None:
        conditions.append(col(AuditEvent.at) >= filt.since)
    if filt.until is not None:
        conditions.append(col(AuditEvent.at) < filt.until)
    if not principal.can(ADMIN_PERMISSION):  # a reviewer: events of assets they may read, nothing else
        conditions.append(col(Asset.id).is_not(None))
        conditions.append(assets_service.visibility(principal))
    return conditions


def _query(principal: Principal, filt: TrailFilter) -> Any:
    return (
        select(AuditEvent, User.email, Asset.id, Asset.title)
        .join(User, col(User.id) == col(AuditEvent.actor_id), isouter=True)
        .join(Asset, col(Asset.id) == cast(_asset_key(), Uuid), isouter=True)
        .where(*_conditions(principal, filt))
    )


def page(
    *, session: Session, principal: Principal, filt: TrailFilter, before: int | None = None, limit: int = 50
) -> TrailPage:
    """Newest first; `before` is the id the previous page ended on."""
    limit = max(1, min(limit, MAX_PAGE))
    stmt = _query(principal, filt)
    if before is not None:
        stmt = stmt.where(col(AuditEvent.id) < before)
    found = session.exec(stmt.order_by(col(AuditEvent.id).desc()).limit(limit + 1)).all()
    rows = [_row(*r) for r in found[:limit]]
    return TrailPage(rows=rows, next_before=rows[-1].id if len(found) > limit else None)


def export(*, principal: Principal, filt: TrailFilter, sessions: Any) -> Iterator[str]:
    """The whole trail under the filter as CSV lines, read a batch per short session (`sessions()`
    opens one), at most MAX_EXPORT rows. Cells that a spreadsheet would run as a formula are quoted."""
    _conditions(principal, filt)  # refuse before the first line is sent
    yield csv_line(CSV_HEADER)
    before: int | None = None
    sent = 0
    while sent < MAX_EXPORT:
        with sessions() as session:
            batch = page(session=session, principal=principal, filt=filt, before=before, limit=MAX_PAGE)
        for r in batch.rows:
            yield csv_line((f"{r.at:%Y-%m-%d %H:%M:%S}", r.actor, r.label, r.asset_id, r.asset_title, r.summary))
        sent += len(batch.rows)
        if batch.next_before is None:
            return
        before = batch.next_before


def _row(event: AuditEvent, email: str | None, asset_id: uuid.UUID | None, title: str | None) -> TrailRow:
    assert event.id is not None
    details = event.details or {}
    parts = [f"{k}: {details[k]}" for k in _SUMMARY_KEYS if details.get(k) not in (None, "", [], {})]
    if event.action == "rights.save" and isinstance(details.get("after"), dict):
        after = details["after"]
        parts.append(
            f"{after.get('licence_source') or 'no licensor'}, {', '.join(after.get('licensed_markets') or [])}, "
            f"until {str(after.get('licence_end') or 'open')[:10]}"
        )
    return TrailRow(
        id=event.id,
        at=event.at,
        actor=email or "system",
        action=event.action,
        label=LABELS.get(event.action, event.action.replace(".", " ").replace("_", " ")),
        asset_id=str(asset_id) if asset_id else "",
        asset_title=title or "",
        summary="; ".join(parts),
    )
