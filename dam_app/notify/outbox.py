"""The outbox: an alert row written into the change's own session, so it commits or rolls back with
the change (no lost alert, no alert for a change that never happened). `reactions.publish_on_commit`
calls `record` for every event; the drain job is asked for once the transaction commits, and the
worker's sweep finds any row whose job Redis lost."""

from __future__ import annotations

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.db import on_commit
from dam_app.events import (
    ApprovalDecided,
    AssetEvent,
    CommentAdded,
    CommentMentioned,
    Event,
    RightsExpiring,
    VersionAdded,
    to_payload,
)
from dam_app.notify import jobs
from dam_app.notify.message import compose
from dam_app.notify.models import EVERYONE, AlertOutbox

ALERTABLE: tuple[type[Event], ...] = (VersionAdded, ApprovalDecided, RightsExpiring, CommentMentioned, CommentAdded)


def record(session: Session, event: Event) -> AlertOutbox | None:
    """Add the event's alert to the outbox in `session`; None for events nobody is alerted about."""
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
    row = AlertOutbox(
        event_type=event.type,
        asset_id=event.asset_id,
        actor_id=actor,
        title=message.title[:300],
        body=message.body,
        payload=to_payload(event),
        urgent_markets=urgent,
    )
    session.add(row)
    on_commit(session, jobs.drain_soon)
    return row
