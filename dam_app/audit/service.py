"""Record audit events inside the caller's transaction, so the event and the change land together."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

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
