"""The worker's side of verdicts: judge an asset again soon after a change, sweep what is unjudged
or whose verdict the calendar has changed, and tell people 14 days before a licence ends.

The sweep is what makes the answers hold: a change marks the asset unjudged in its own transaction
(migration 0020), so a lost queue job, a worker restart or a recheck in another domain only delays
the new verdict by one sweep; and an end date passing needs no event at all."""

from __future__ import annotations

import logging
import time
import uuid

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dam_app.assets.models import Asset, RightsRecord
from dam_app.db import session_scope
from dam_app.events import AssetChanged, Audience, RightsExpiring, publish
from dam_app.fields import utcnow
from dam_app.notify import outbox as alert_outbox
from dam_app.rights import verdicts
from dam_app.rights.models import MarketVerdict
from dam_app.worker import queues

log = logging.getLogger(__name__)
BATCH = 200
SWEEP_BUDGET_S = 10.0  # per maintenance turn: a backfill of a large library goes on turn after turn
FAILED = "!"  # the label of an asset whose judging failed (the sweep leaves it until it changes)


def refresh_asset(asset_id: str) -> int:
    """Judge the asset's current version and store it; how many markets were judged."""
    with session_scope() as session:
        asset = session.get(Asset, uuid.UUID(asset_id))
        if asset is None:
            return 0
        reads = verdicts.refresh(session=session, asset_id=asset.id) or []
        audience = Audience.of(asset)
    publish(AssetChanged(asset_id=uuid.UUID(asset_id), audience=audience, fields=("verdicts",)))  # open pages
    return len(reads)


def refresh_soon(asset_id: uuid.UUID) -> None:
    """Ask the worker to judge the asset again; with the queue down, the next sweep does it (the
    change already marked the asset unjudged)."""
    try:
        queues.enqueue(refresh_asset, str(asset_id), job_id=f"verdict-{asset_id}")
    except Exception:
        log.warning("queue unreachable; asset %s is judged at the next sweep", asset_id, exc_info=True)


def due(session: Session, limit: int = BATCH) -> list[uuid.UUID]:
    """Assets to judge, by id: never judged since their last change, or a stored verdict past its
    date. (One that failed to be judged is labelled "!" and waits for its next change.)"""
    unjudged = select(Asset.id).where(
        col(Asset.verdicts) == [], col(Asset.current_version_id).is_not(None)
    )  # the partial index ix_assets_unjudged
    dated = select(MarketVerdict.asset_id).where(
        col(MarketVerdict.valid_until).is_not(None), col(MarketVerdict.valid_until) <= func.now()
    )
    found = list(session.exec(unjudged.order_by(col(Asset.id)).limit(limit)))
    found += [
        a for a in session.exec(dated.distinct().order_by(col(MarketVerdict.asset_id)).limit(limit)) if a not in found
    ]
    return found


def sweep(budget_s: float = SWEEP_BUDGET_S) -> int:
    """Judge due assets, each in its own short transaction (a busy asset is skipped, not waited
    for), batch after batch for up to `budget_s`; then send the expiry notices due. Returns how
    many assets were judged."""
    judged = 0
    started = time.monotonic()
    while time.monotonic() - started < budget_s:
        with session_scope() as session:
            batch = due(session)
        if not batch:
            break
        for asset_id in batch:
            judged += _judge_one(asset_id)
        if len(batch) < BATCH:
            break
    with session_scope() as session:
        alert_expiring(session)
    return judged


def _judge_one(asset_id: uuid.UUID) -> int:
    try:
        with session_scope() as session:
            return int(verdicts.refresh(session=session, asset_id=asset_id, skip_locked=True) is not None)
    except Exception:
        log.exception("judging asset %s failed; it waits for its next change", asset_id)
        with session_scope() as session:  # not picked again each turn, starving the others
            session.execute(update(Asset).where(col(Asset.id) == asset_id).values(verdicts=[FAILED]))
        return 0


def alert_expiring(session: Session) -> int:
    """One alert per record and end date, when the end is within the notice period: to the asset's
    owner, the watchers of it and of its markets, and the markets' team channels (notify/recipients).
    Each record is claimed by an update that only one sweeper can win; the mark touches no asset row
    (the unjudging trigger ignores it), so a notice never waits for, or blocks, a rights edit."""
    now = utcnow()
    due_ids = session.exec(
        select(RightsRecord.id)
        .where(
            col(RightsRecord.licence_end).is_not(None),
            col(RightsRecord.licence_end) > now,
            col(RightsRecord.licence_end) <= now + verdicts.EXPIRY_NOTICE,
            col(RightsRecord.expiry_alerted_for).is_distinct_from(col(RightsRecord.licence_end)),
        )
        .order_by(col(RightsRecord.id))
        .limit(BATCH)
    ).all()
    sent = 0
    for record_id in due_ids:
        assert record_id is not None
        claimed = session.execute(
            update(RightsRecord)
            .where(
                col(RightsRecord.id) == record_id,
                col(RightsRecord.expiry_alerted_for).is_distinct_from(col(RightsRecord.licence_end)),
            )
            .values(expiry_alerted_for=RightsRecord.licence_end)
            .returning(col(RightsRecord.asset_id))
        ).first()
        if claimed is None:
            continue
        record, asset = session.get(RightsRecord, record_id), session.get(Asset, claimed[0])
        if record is None or asset is None or record.licence_end is None:
            continue
        session.refresh(record)
        alert_outbox.record(  # the alert commits with the claim (no reaction to run)
            session,
            RightsExpiring(
                asset_id=asset.id,
                audience=Audience.of(asset),
                record_id=record_id,
                markets=tuple(record.licensed_markets or asset.markets),
                ends_at=f"{record.licence_end:%Y-%m-%d}",
                licensor=record.licence_source or "",
            ),
        )
        sent += 1
    return sent


def rejudge_market(code: str) -> int:
    """Judge again every asset of a market (its required stages changed), a batch per transaction,
    and relabel its approval states (which say "approved" only once every required stage is).
    Returns how many were judged."""
    judged, after = 0, uuid.UUID(int=0)
    while True:
        with session_scope() as session:
            batch = list(
                session.exec(
                    select(Asset.id)
                    .where(col(Asset.markets).contains([code]), col(Asset.id) > after)
                    .order_by(col(Asset.id))
                    .limit(BATCH)
                )
            )
            for asset_id in batch:
                try:
                    with session.begin_nested():
                        verdicts.refresh(session=session, asset_id=asset_id)
                    judged += 1
                except Exception:
                    log.exception("judging asset %s failed; the others go on", asset_id)
            session.execute(
                update(Asset)
                .where(col(Asset.id).in_(batch), ~col(Asset.approval_states).contains(["unreviewed"]))
                .values(approval_states=func.approval_states_of(col(Asset.current_version_id), col(Asset.markets)))
            )
        if not batch:
            return judged
        after = batch[-1]


def rejudge_market_soon(code: str) -> None:
    """In a worker; with the queue unreachable, on a thread here (the new policy must take effect)."""
    queues.enqueue_or_run(rejudge_market, code, job_id=f"verdict-market-{code}", timeout=3600)
