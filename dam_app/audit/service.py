"""Record audit events inside the caller's transaction, so the event and the change land together."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from dam_app.audit.models import AuditEvent


def record(
    *,
    session: Session,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: str | uuid.UUID,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
    )
    session.add(event)
    return event


def actors(*, session: Session, action: str, object_ids: list[str]) -> set[uuid.UUID]:
    """Who did `action` to any of these objects (e.g. downloaded one of an asset's older versions);
    served by the index on object_id."""
    if not object_ids:
        return set()
    rows = session.exec(
        select(AuditEvent.actor_id).where(col(AuditEvent.object_id).in_(object_ids), AuditEvent.action == action)
    ).all()
    return {actor for actor in rows if actor is not None}
