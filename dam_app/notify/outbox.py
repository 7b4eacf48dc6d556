"""The outbox: an alert row written into the change's own session, so it commits or rolls back with
the change (no lost alert, no alert for a change that never happened). `reactions.publish_on_commit`
calls `record` for every event; the drain job is asked for once the transaction commits, and the
worker's sweep finds any row whose job Redis lost."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.db import on_commit
from dam_app.events import (
    ApprovalDecided,
    AssetEvent,
    CardMentioned,
    CommentAdded,
    CommentMentioned,
    Event,
    RightsExpiring,
    VersionAdded,
    to_payload,
)
from dam_app.notify import jobs
from dam_app.notify.message import Message, compose
from dam_app.notify.models import EVERYONE, AlertOutbox

ALERTABLE: tuple[type[Event], ...] = (VersionAdded, ApprovalDecided, RightsExpiring, CommentMentioned, CommentAdded)


def record(session: Session, event: Event) -> AlertOutbox | None:
    """Add the event's alert to the outbox in `session`; None for events nobody is alerted about."""
    if isinstance(event, CardMentioned):
        return _queued(session, event, compose(session, event), card_id=event.card_id, actor=event.by_id)
    if not isinstance(event, AssetEvent) or not isinstance(event, ALERTABLE):
        return None
    message = compose(session, event)
    if message is None:
        return None
    actor = None
    urgent: list[str] = []
    if isinstance(event, VersionAdded):
        version = session.get(Version, event.version_id)
        actor = version.created_by if version is not None else None
        if event.urgent:
            urgent = [EVERYONE]  # its author asked: everyone who hears of it, whatever their markets
    elif isinstance(event, ApprovalDecided):
        actor = event.by_id
        if event.decision == "rejected":
            urgent = [event.market]  # a rejection in one's market passes quiet hours
    elif isinstance(event, (CommentMentioned, CommentAdded)):
        actor = event.by_id
    elif isinstance(event, RightsExpiring):
        urgent = list(event.markets)  # the markets about to lose the asset hear of it whatever the hour
    return _queued(session, event, message, asset_id=event.asset_id, actor=actor, urgent=urgent)


def _queued(
    session: Session,
    event: Event,
    message: Message | None,
    *,
    asset_id: uuid.UUID | None = None,
    card_id: uuid.UUID | None = None,
    actor: uuid.UUID | None = None,
    urgent: list[str] | None = None,
) -> AlertOutbox | None:
    """The outbox row of an alert about an asset or a board card, drained once committed."""
    if message is None:
        return None
    row = AlertOutbox(
        event_type=event.type,
        asset_id=asset_id,
        card_id=card_id,
        actor_id=actor,
        title=message.title[:300],
        body=message.body,
        payload=to_payload(event),
        urgent_markets=urgent or [],
    )
    session.add(row)
    on_commit(session, jobs.drain_soon)
    return row
