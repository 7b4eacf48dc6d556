"""What the verdict blocks: downloading an original for use by people of the markets where it is
blocked (previews stay viewable: reviewers must still see what is wrong), and, through
`usable_in_market`, sharing and publishing for a market. An admin may override a blocked download,
saying why; the override is audited."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets.models import Asset, Version
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Forbidden, Invalid
from dam_app.rights import verdicts
from dam_app.rights.models import Verdict, VerdictRead

OVERRIDE_PERMISSION = "system.manage"
MAX_REASON = 500


class UsageBlocked(Forbidden):
    """The version may not be used in any of the caller's markets; the message gives the reasons."""


def markets_of(principal: Principal, asset: Asset, global_codes: set[str]) -> list[str]:
    """The markets whose verdict the caller reads: all the asset's for a reviewer of all markets;
    else the asset's markets they work in, and, for a global asset (which runs in theirs), each of
    their own markets, judged on its own (a licence may cover only some of them)."""
    if principal.all_regions:
        return list(asset.markets)
    mine = [m for m in asset.markets if m in principal.region_codes]
    if set(asset.markets) & global_codes:
        mine += sorted(m for m in principal.region_codes if m not in mine)
    return mine


def verdicts_for(session: Session, principal: Principal, asset: Asset, version: Version) -> list[VerdictRead]:
    """The version's verdicts in the caller's markets (markets_of), reasons included: another
    market's findings and notes are not theirs to read."""
    global_codes = set(catalog_service.global_market_codes(session=session))
    mine = markets_of(principal, asset, global_codes)
    stored = {v.market: v for v in verdicts.stored_or_judged(session, asset, version)}
    extra = [m for m in mine if m not in stored]
    if extra:
        stored.update({v.market: v for v in verdicts.judge(verdicts.facts_of(session, asset, version), markets=extra)})
    return [stored[m] for m in mine if m in stored]


def blocked_for(judged: list[VerdictRead]) -> list[VerdictRead]:
    """The verdicts that block the caller (their verdicts_for): all of them, when every one is
    blocked; else none (usable somewhere of theirs, or their own upload outside their markets)."""
    return judged if judged and all(v.verdict == Verdict.BLOCKED for v in judged) else []


def explain(blocked: list[VerdictRead], principal: Principal) -> str:
    """Why the caller may not download the original, market by market, and who may anyway."""
    parts = []
    for v in blocked:
        why = "; ".join(r.text for r in v.reasons if r.severity == Verdict.BLOCKED)
        parts.append(f"{v.market}: {why}")
    if principal.can(OVERRIDE_PERMISSION):
        tail = " As an admin you may download it anyway, giving a reason (override=...)."
    else:
        tail = " An admin may download it anyway, giving a reason."
    return "This version is blocked for use in your markets. " + " | ".join(parts) + "." + tail


def guard_download(
    *, session: Session, principal: Principal, version_id: uuid.UUID, override: str | None, audit: bool = True
) -> None:
    """Refuse a download of an original blocked in every market the caller works in. Returns
    quietly for what the caller may not see (the file read says not found, as for any asset).
    `audit`: record an override (a player's later ranges of one video are not audited again)."""
    if not principal.can("asset.read"):
        return
    version = session.get(Version, version_id)
    asset = session.get(Asset, version.asset_id) if version is not None else None
    if version is None or asset is None or not principal.may_see_markets(asset.markets, asset.created_by):
        return
    blocked = blocked_for(verdicts_for(session, principal, asset, version))
    if not blocked:
        return
    if override is None:
        raise UsageBlocked(explain(blocked, principal))
    if not principal.can(OVERRIDE_PERMISSION):
        raise PermissionDenied("only an admin may download a blocked asset anyway")
    reason = override.strip()
    if not reason or len(reason) > MAX_REASON:
        raise Invalid(f"say why this blocked asset is downloaded anyway (1 to {MAX_REASON} characters)")
    if not audit:
        return
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="asset.download_override",
        object_type="version",
        object_id=version.id,
        details={
            "asset_id": str(asset.id),
            "reason": reason,
            "blocked": {v.market: [r.text for r in v.reasons if r.severity == Verdict.BLOCKED] for v in blocked},
        },
    )


def usable_in_market(*, session: Session, asset_id: uuid.UUID, market: str) -> VerdictRead | None:
    """The current version's verdict in one market, for sharing and publishing to ask before they
    let the asset out (None: the asset has no version, or is not for that market)."""
    asset = session.get(Asset, asset_id)
    version = session.get(Version, asset.current_version_id) if asset and asset.current_version_id else None
    if asset is None or version is None:
        return None
    judged = verdicts.stored_or_judged(session, asset, version)
    found = next((v for v in judged if v.market == market), None)
    if found is None:  # a global asset runs in every market: its worldwide verdict answers
        global_codes = set(catalog_service.global_market_codes(session=session))
        found = next((v for v in judged if v.market in global_codes), None)
    return found
