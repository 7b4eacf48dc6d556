"""The drain job: outbox rows become one delivery per channel, due deliveries are sent, each result
is recorded. Idempotent and safe to run twice at once (rows are claimed with SKIP LOCKED); queued on
commit of every alert, and by the worker's sweep whenever something is due, so a Redis flush or a
worker killed mid-send delays an alert but never loses it."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.fields import utcnow
from dam_app.notify import quiet, recipients, secrets, sender
from dam_app.notify.message import Message, digest
from dam_app.notify.models import AlertChannel, AlertDelivery, AlertOutbox, AlertPrefs, DeliveryStatus
from dam_app.worker import queues

log = logging.getLogger(__name__)
ALERT_QUEUE = "alerts"  # its own queue, listened to first: an alert never waits behind renditions
BATCH = 200
MAX_ROUNDS = 20  # a drain keeps going while new alerts arrive, then leaves the rest to the next job

_CLAIM = text(
    "UPDATE alert_deliveries d SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = :lease"
    " WHERE d.id IN (SELECT id FROM alert_deliveries WHERE status IN ('pending', 'held', 'sending')"
    " AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED)"
    " RETURNING d.id, d.channel_id, d.outbox_id, d.attempts"
)


@dataclass
class DrainResult:
    expanded: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0


def max_attempts() -> int:
    return len(get_settings().alert_retry_delays) + 1


def drain_soon() -> None:
    """Queue a drain (after a commit); without Redis the sweep queues it once Redis is back."""
    try:
        queues.enqueue(drain, queue_kind=ALERT_QUEUE, timeout=900)
    except queues.QueueUnavailable:
        log.warning("alert drain not queued (Redis unreachable); the worker's sweep will queue it")


def drain(*, now: datetime | None = None) -> DrainResult:
    """Expand the outbox and send what is due, round after round while there is work."""
    result = DrainResult()
    for _ in range(MAX_ROUNDS):
        moment = now or utcnow()
        expanded, held = expand(now=moment)
        result.expanded += expanded
        result.held += held
        sent = send_due(now=moment)
        result.delivered += sent.delivered
        result.retrying += sent.retrying
        result.failed += sent.failed
        if not expanded and not (sent.delivered + sent.retrying + sent.failed):
            break
    return result


def expand(*, now: datetime) -> tuple[int, int]:
    """Turn outbox rows into deliveries (held ones wait for the end of quiet hours or the digest);
    returns (rows expanded, deliveries held)."""
    held = 0
    with session_scope() as session:
        rows = session.exec(
            select(AlertOutbox)
            .where(col(AlertOutbox.expanded_at).is_(None))
            .order_by(col(AlertOutbox.id))
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        schedules: dict[uuid.UUID, quiet.Schedule] = {}
        for row in rows:
            for target in recipients.targets(session=session, row=row):
                release = None
                if target.user_id is not None:
                    if target.user_id not in schedules:
                        schedules[target.user_id] = schedule_of(session, target.user_id)
                    release = quiet.release_at(schedules[target.user_id], now, urgent=target.urgent)
                held += release is not None
                session.execute(
                    insert(AlertDelivery)
                    .values(
                        outbox_id=row.id,
                        channel_id=target.channel_id,
                        user_id=target.user_id,
                        reason=target.reason,
                        urgent=target.urgent,
                        status=DeliveryStatus.HELD if release else DeliveryStatus.PENDING,
                        next_attempt_at=release or now,
                    )
                    .on_conflict_do_nothing(constraint="uq_alert_deliveries_once")
                )
            row.expanded_at = now
            session.add(row)
    return len(rows), held


def schedule_of(session: Session, user_id: uuid.UUID) -> quiet.Schedule:
    prefs = session.get(AlertPrefs, user_id)
    if prefs is None:
        return quiet.Schedule()
    try:
        return quiet.Schedule(
            time_zone=prefs.time_zone,
            quiet_start=quiet.parse_clock(prefs.quiet_start),
            quiet_end=quiet.parse_clock(prefs.quiet_end),
            digest=prefs.digest,
            digest_hour=prefs.digest_hour,
        )
    except (quiet.BadSchedule, ValueError):
        return quiet.Schedule()


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel_id: uuid.UUID
    outbox_id: int
    attempts: int


def send_due(*, now: datetime) -> DrainResult:
    """Claim due deliveries, send each channel's in one message, in parallel, and record the results."""
    settings = get_settings()
    lease = now + timedelta(seconds=3 * settings.alert_timeout_s + 30)  # a dead worker's claim comes due
    with session_scope() as session:
        claimed = [
            _Claimed(*r) for r in session.execute(_CLAIM, {"now": now, "lease": lease, "limit": BATCH * 5}).all()
        ]
        if not claimed:
            return DrainResult()
        channels = {
            c.id: c
            for c in session.exec(
                select(AlertChannel).where(col(AlertChannel.id).in_({c.channel_id for c in claimed}))
            ).all()
        }
        messages = {
            o.id: Message(o.title, o.body)
            for o in session.exec(select(AlertOutbox).where(col(AlertOutbox.id).in_({c.outbox_id for c in claimed})))
        }
    groups: dict[uuid.UUID, list[_Claimed]] = defaultdict(list)
    for item in sorted(claimed, key=lambda c: c.outbox_id):
        groups[item.channel_id].append(item)
    jobs: list[sender.Job] = []
    order: list[list[_Claimed]] = []
    result = DrainResult()
    for channel_id, items in groups.items():
        channel = channels.get(channel_id)
        try:
            url = secrets.decrypt(channel.url_encrypted) if channel else ""
        except secrets.UnreadableSecret as exc:
            _record(items, sender.SendResult(False, exc.message), now=now, result=result, final=True)
            continue
        jobs.append((url, digest([messages[i.outbox_id] for i in items])))
        order.append(items)
    sender.send_all(jobs, on_done=lambda i, sent: _record(order[i], sent, now=now, result=result))
    return result


def _record(
    items: list[_Claimed], sent: sender.SendResult, *, now: datetime, result: DrainResult, final: bool = False
) -> None:
    """Delivered; or tried again after the next delay; or, with every try used, failed."""
    delays = get_settings().alert_retry_delays
    with session_scope() as session:
        for item in items:
            row = session.get(AlertDelivery, item.id)
            if row is None:  # its channel was removed meanwhile
                continue
            if sent.ok:
                row.status, row.delivered_at, row.last_error = DeliveryStatus.DELIVERED, utcnow(), ""
                result.delivered += 1
            elif final or item.attempts >= max_attempts():
                row.status, row.last_error = DeliveryStatus.FAILED, sent.error
                result.failed += 1
            else:
                delay = delays[min(item.attempts, len(delays)) - 1]
                row.status, row.last_error = DeliveryStatus.PENDING, sent.error
                row.next_attempt_at = now + timedelta(seconds=delay)
                result.retrying += 1
            session.add(row)


def sweep(*, now: datetime | None = None) -> bool:
    """Queue a drain when the database says there is work (an outbox row not expanded, a delivery
    due): what Redis forgot comes back within one sweep interval. Returns whether it queued one."""
    moment = now or utcnow()
    with session_scope() as session:
        waiting = session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE expanded_at IS NULL)"
                " OR EXISTS (SELECT 1 FROM alert_deliveries WHERE status IN ('pending', 'held', 'sending')"
                " AND next_attempt_at <= :now)"
            ),
            {"now": moment},
        ).scalar_one()
    if waiting:
        drain_soon()
    return bool(waiting)
