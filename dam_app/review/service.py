"""Record and read approval decisions. A decision is for the asset's current version in one of its
markets; a reviewer may decide only for markets in their scope. Triggers (migration 0005) turn the
decisions into the asset's `approval_states`, which search filters and counts."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset
from dam_app.audit import service as audit_service
from dam_app.errors import Invalid
from dam_app.events import ApprovalDecided, Audience
from dam_app.reactions import publish_on_commit
from dam_app.review import since
from dam_app.review.models import Approval, ApprovalRead, Decision, ReviewStage

MAX_NOTE = 2000


class ReviewError(Invalid):
    """A decision that cannot be recorded as given; the message says why."""


def record_decision(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    market: str,
    stage: str,
    decision: str,
    note: str = "",
) -> ApprovalRead:
    """Approve or reject the current version for one market at one stage; a second decision for the
    same market and stage replaces the first (the audit log keeps both)."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    principal.require("asset.review")
    stage, decision, market = stage.strip().lower(), decision.strip().lower(), market.strip().upper()
    if stage not in set(ReviewStage):
        raise ReviewError(f"unknown review stage '{stage}'; use one of {', '.join(ReviewStage)}")
    if decision not in set(Decision):
        raise ReviewError(f"unknown decision '{decision}'; use one of {', '.join(Decision)}")
    if market not in asset.markets:
        raise ReviewError(
            f"the asset is not for market '{market}'; its markets are {', '.join(asset.markets) or 'none'}"
        )
    principal.require_markets([market])
    if decision in (Decision.REJECTED, Decision.APPROVED_WITH_CHANGES) and not note.strip():
        what = "a rejection" if decision == Decision.REJECTED else "an approval with changes"
        raise ReviewError(f"{what} needs a note saying what must change")
    if len(note) > MAX_NOTE:
        raise ReviewError(f"the note is {len(note)} characters; at most {MAX_NOTE}")
    if asset.current_version_id is None:
        raise ReviewError("the asset has no version to review yet")
    # One decision on an asset at a time: the approval states the trigger derives must see the
    # other markets' decisions committed just before (its statement's snapshot starts after this lock).
    session.exec(select(Asset.id).where(Asset.id == asset.id).with_for_update()).one()
    values = {
        "asset_id": asset.id,
        "version_id": asset.current_version_id,
        "market": market,
        "stage": stage,
        "decision": decision,
        "note": note.strip(),
        "decided_by": principal.user_id,
    }
    decided_at = session.execute(
        insert(Approval)
        .values(**values)
        .on_conflict_do_update(
            constraint="uq_approvals_version_market_stage",
            set_={
                "decision": decision,
                "note": values["note"],
                "decided_by": principal.user_id,
                "decided_at": func.now(),
            },
        )
        .returning(col(Approval.decided_at))
    ).scalar_one()
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action=f"asset.{decision}",
        object_type="asset",
        object_id=asset.id,
        details={"version_id": str(asset.current_version_id), "market": market, "stage": stage, "note": values["note"]},
    )
    decided = ApprovalDecided(
        asset_id=asset.id,
        version_id=asset.current_version_id,
        audience=Audience.of(asset),
        market=market,
        stage=stage,
        decision=decision,
        by=principal.display_name or principal.email,
        by_id=principal.user_id,
        note=str(values["note"]),
    )
    publish_on_commit(session, decided)  # the alert goes into the outbox with this decision
    decided_by = principal.email if principal.user_id is not None else "system"
    return ApprovalRead(
        market=market,
        stage=stage,
        decision=decision,
        note=str(values["note"]),
        decided_by=decided_by,
        decided_at=decided_at,
    )


def approvals_for(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> list[ApprovalRead]:
    """The decisions on the asset's current version, by market then stage."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    if asset.current_version_id is None:
        return []
    rows = session.exec(
        select(Approval, User.email)
        .join(User, col(User.id) == col(Approval.decided_by), isouter=True)
        .where(Approval.version_id == asset.current_version_id)
        .order_by(col(Approval.market), col(Approval.stage))
    ).all()
    return [ApprovalRead.model_validate(a, update={"decided_by": email or "system"}) for a, email in rows]


def since_approved(*, session: Session, principal: Principal, asset_id: uuid.UUID) -> list[since.SinceApproved]:
    """For each of the caller's markets that approved an earlier version of the asset: whether the
    comparison shows that market's area unchanged since (review/since.py)."""
    asset = assets_service.visible_asset(session, principal, asset_id)
    return since.since_approved(session, asset, principal.readable_markets(asset.markets))
