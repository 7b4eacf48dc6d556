"""What this app does in-process once an event has committed, gathered in one table (as
`dam_app.stages` gathers the stages): a publisher announces what happened and never names who
reacts. Every event then also goes out on pub/sub for the browsers (events.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session

from dam_app import events
from dam_app.db import on_commit
from dam_app.events import ApprovalDecided, AssetChanged, AssetEvent, Event, VersionAdded
from dam_app.notify import outbox as alert_outbox
from dam_app.review import jobs as review_jobs
from dam_app.rights import jobs as rights_jobs
from dam_app.search import jobs as search_jobs

log = logging.getLogger(__name__)

Reaction = Callable[[Event], None]


def _reindex(event: Event) -> None:
    if isinstance(event, AssetEvent):
        search_jobs.reindex_soon(event.asset_id)


def _recheck_compliance(event: Event) -> None:
    if isinstance(event, AssetChanged) and set(event.fields) & review_jobs.CHECKED_FIELDS:
        review_jobs.check_soon(event.asset_id)


def _judge_again(event: Event) -> None:
    """Approvals, edits and new versions change the verdicts: the change marked the asset unjudged
    (migration 0020); this asks the worker now rather than at its next sweep."""
    if isinstance(event, AssetEvent) and not (isinstance(event, AssetChanged) and event.fields == ("rights",)):
        rights_jobs.refresh_soon(event.asset_id)  # (a rights save judged itself)


# Later: board cards following their asset. (Alerts are no reaction: they must not be lost, so
# publish_on_commit writes them into an outbox inside the transaction.)
REACTIONS: dict[type[Event], tuple[Reaction, ...]] = {
    AssetChanged: (_reindex, _recheck_compliance, _judge_again),
    ApprovalDecided: (_judge_again,),
    VersionAdded: (_judge_again,),
}


def publish_on_commit(session: Session, event: Event) -> None:
    """Once the session commits: run the event's reactions, then publish it; nothing on rollback.
    An alert about it goes into the outbox now, in this transaction (notify/outbox.py)."""
    alert_outbox.record(session, event)
    on_commit(session, lambda: deliver(event))


def deliver(event: Event) -> None:
    """Run each reaction (one failing is logged and does not stop the others or the publish)."""
    for reaction in REACTIONS.get(type(event), ()):
        try:
            reaction(event)
        except Exception:
            log.exception("reaction %s to %s failed", reaction.__name__, event.type)
    events.publish(event)
