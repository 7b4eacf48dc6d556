"""Compliance checks: run the active rule packs on a version's texts (title, description, copy and
the text read from its picture) for each market it targets, keep the findings, and let reviewers
accept an exception with a reason. Packs are versioned: an admin's save is a new version, audited,
and every current version is checked again against it (a worker job)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset, Version
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Conflict, Invalid, NotFound
from dam_app.fields import utcnow
from dam_app.review.compliance_models import (
    ComplianceCheck,
    ComplianceRead,
    ExceptionRead,
    Finding,
    FindingException,
    FindingRead,
)
from dam_app.review.rule_packs import active_packs
from dam_app.review.rules import checks, packs
from dam_app.review.rules.packs import ALL_MARKETS
from dam_app.tagging import image_text
from dam_app.tagging import service as tagging_service

log = logging.getLogger(__name__)
CONTEXT = 40
MAX_REASON = 2000


def texts_of(session: Session, asset: Asset, version: Version) -> list[checks.TextField]:
    """What the packs read: the asset's title and description, the version's copy, and the text
    read from its picture (each line's span kept with its box, to draw the finding on the image)."""
    fields = [
        checks.TextField(checks.TITLE, asset.title),
        checks.TextField(checks.DESCRIPTION, asset.description),
        checks.TextField(checks.COPY, version.extracted_text),
    ]
    read = image_text.stored_text(session=session, version_id=version.id)
    if read is not None and read.lines:
        fields.append(checks.picture_field((line.text, line.box) for line in read.lines))
    return [f for f in fields if f.text.strip()]


def markets_for(pack_markets: Sequence[str], asset_markets: Sequence[str], global_codes: Sequence[str]) -> list[str]:
    """The asset's markets a pack speaks for. A global asset runs everywhere, so every market of the
    pack applies to it."""
    if ALL_MARKETS in pack_markets:
        return list(asset_markets)
    if set(asset_markets) & set(global_codes):
        return [m for m in pack_markets if m not in global_codes]
    return [m for m in asset_markets if m in pack_markets]


def check_version(*, session: Session, version_id: uuid.UUID) -> int:
    """Check one version against every active pack, replacing its earlier findings (exceptions stay:
    they are keyed by the words and their place). Returns how many findings it has now."""
    version = session.get(Version, version_id)
    if version is None:
        raise NotFound("version", version_id)
    asset = session.get(Asset, version.asset_id)
    if asset is None:
        raise NotFound("asset", version.asset_id)
    # One check of a version at a time (the stage, an edit's re-check and a pack's recheck may meet):
    # two interleaved delete-then-insert runs would leave every finding twice.
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"compliance:{version.id}"}
    )
    fields = texts_of(session, asset, version)
    tags = [t.name for t in tagging_service.tags_for(session=session, asset_id=asset.id)]
    global_codes = catalog_service.global_market_codes(session=session)
    rows: list[dict[str, Any]] = []
    checked: dict[str, int] = {}
    for pack in active_packs(session):
        markets = markets_for(pack.markets, asset.markets, global_codes)
        checked[pack.key] = pack.version
        if not markets:
            continue
        for match in checks.run(packs.validated(pack.kind, pack.definition), fields, tags):
            rows += [
                {
                    "asset_id": asset.id,
                    "version_id": version.id,
                    "market": market,
                    "pack_key": pack.key,
                    "pack_version": pack.version,
                    "rule": match.rule,
                    "field": match.field,
                    "start": match.start,
                    "end": match.end,
                    "matched": match.matched[:400],
                    "message": match.message,
                    "box": match.box,
                }
                for market in markets
            ]
    # Written last: the delete marks the asset unjudged (migration 0020) and so holds its row; the
    # packs ran before it, without that lock.
    session.execute(delete(Finding).where(col(Finding.version_id) == version.id))
    if rows:
        session.execute(insert(Finding), rows)
    session.execute(
        insert(ComplianceCheck)
        .values(version_id=version.id, asset_id=asset.id, packs=checked, checked_at=utcnow())
        .on_conflict_do_update(index_elements=["version_id"], set_={"packs": checked, "checked_at": utcnow()})
    )
    return len(rows)


def findings_for(
    *, session: Session, principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID | None = None
) -> ComplianceRead:
    """The check of the asset's current version (or `version_id` of it), in the caller's markets:
    open findings first, then the excepted ones, each by market and position."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    version_id = version_id or asset.current_version_id
    version = session.get(Version, version_id) if version_id else None
    if version is None or version.asset_id != asset.id:
        return ComplianceRead(version_id=None, checked_at=None, findings=[])
    check = session.get(ComplianceCheck, version.id)
    names = {p.key: p.name for p in active_packs(session)}
    rows = session.exec(
        select(Finding, FindingException, User.email)
        .join(FindingException, _excepting(), isouter=True)
        .join(User, col(User.id) == col(FindingException.decided_by), isouter=True)
        .where(col(Finding.version_id) == version.id)
        .order_by(col(Finding.market), col(Finding.field), col(Finding.start), col(Finding.id))
    ).all()
    texts = {f.name: f.text for f in texts_of(session, asset, version)}
    findings = [
        _read(finding, excepted, email, names.get(finding.pack_key, finding.pack_key), texts.get(finding.field, ""))
        for finding, excepted, email in rows
        if principal.all_regions or finding.market in principal.visible_markets
    ]
    findings.sort(key=lambda f: f.exception is not None)
    return ComplianceRead(version_id=version.id, checked_at=check.checked_at if check else None, findings=findings)


def _excepting() -> ColumnElement[bool]:
    """The exception that stands for a finding: the same words at the same place (FindingKey)."""
    return (
        (col(FindingException.version_id) == col(Finding.version_id))
        & (col(FindingException.market) == col(Finding.market))
        & (col(FindingException.pack_key) == col(Finding.pack_key))
        & (col(FindingException.rule) == col(Finding.rule))
        & (col(FindingException.field) == col(Finding.field))
        & (col(FindingException.start) == col(Finding.start))
        & (col(FindingException.matched) == col(Finding.matched))
    )


def open_findings(*, session: Session, version_id: uuid.UUID) -> dict[str, list[str]] | None:
    """Per market, the words of each finding no exception covers ("rule: words"); None when the
    version has not been checked yet."""
    if session.get(ComplianceCheck, version_id) is None:
        return None
    rows = session.exec(
        select(Finding.market, Finding.rule, Finding.matched)
        .join(FindingException, _excepting(), isouter=True)
        .where(col(Finding.version_id) == version_id, col(FindingException.id).is_(None))
        .order_by(col(Finding.market), col(Finding.field), col(Finding.start))
    ).all()
    found: dict[str, list[str]] = {}
    for market, rule, matched in rows:
        found.setdefault(market, []).append(f"{checks.RULE_LABELS.get(rule, rule)} “{matched[:60]}”")
    return found


def _read(
    finding: Finding, excepted: FindingException | None, email: str | None, pack_name: str, text: str
) -> FindingRead:
    exception = None
    if excepted is not None:
        exception = ExceptionRead(
            reason=excepted.reason,
            evidence=excepted.evidence,
            decided_by=email or "system",
            decided_at=excepted.decided_at,
        )
    return FindingRead.model_validate(
        finding,
        update={
            "id": finding.id,
            "pack_name": pack_name,
            "field_label": checks.FIELD_LABELS.get(finding.field, finding.field),
            "before": text[max(0, finding.start - CONTEXT) : finding.start],
            "after": text[finding.end : finding.end + CONTEXT],
            "exception": exception,
        },
    )


def accept_exception(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    finding_id: int,
    reason: str,
    evidence: str = "",
) -> FindingRead:
    """A reviewer accepts one finding for its version and market, saying why. A health claim needs
    the evidence named (a document, a study, a registration)."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    principal.require("asset.review")
    finding = session.get(Finding, finding_id) if 0 < finding_id < 2**63 else None
    if finding is None or finding.asset_id != asset.id:
        raise NotFound("finding", finding_id)  # also one replaced by a re-check since the page was read
    principal.require_markets([finding.market])
    if finding.market in catalog_service.global_market_codes(session=session) and not principal.all_regions:
        raise PermissionDenied(
            f"an exception for a {finding.market} finding holds in every market: "
            "only a reviewer of all markets may accept it"
        )
    reason, evidence = reason.strip(), evidence.strip()
    if not reason:
        raise Invalid("say why this finding is acceptable: the reason is kept with the version")
    if len(reason) > MAX_REASON or len(evidence) > MAX_REASON:
        raise Invalid(f"the reason and the evidence may be at most {MAX_REASON} characters each")
    if finding.rule == checks.Rule.HEALTH_CLAIM and not evidence:
        raise Invalid("a health or efficacy claim needs its evidence named (a study, a registration, a document)")
    key = {k: getattr(finding, k) for k in ("market", "pack_key", "rule", "field", "start", "matched")}
    values = {"asset_id": asset.id, "version_id": finding.version_id, **key, "reason": reason, "evidence": evidence}
    session.execute(
        insert(FindingException)
        .values(**values, decided_by=principal.user_id)
        .on_conflict_do_update(
            constraint="uq_compliance_exceptions",
            set_={"reason": reason, "evidence": evidence, "decided_by": principal.user_id, "decided_at": func.now()},
        )
    )
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="compliance.exception",
        object_type="asset",
        object_id=asset.id,
        details={"version_id": str(finding.version_id), **key, "reason": reason, "evidence": evidence},
    )
    session.flush()
    result = findings_for(session=session, principal=principal, asset_id=asset.id, version_id=finding.version_id)
    accepted = next((f for f in result.findings if f.id == finding.id), None)
    if accepted is None:  # a re-check replaced the findings meanwhile; this transaction rolls back
        raise Conflict("the findings were checked again meanwhile; reload them and accept the new one")
    return accepted
