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


def for_object(*, session: Session, object_id: str | uuid.UUID, limit: int = 50) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.object_id == str(object_id))
        .order_by(col(AuditEvent.at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))
