"""Administration: sign-in lockouts (who is locked out after failed guesses, and lifting a lock)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from dam_app.accounts import throttle
from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors

router = APIRouter(prefix="/admin", tags=["admin"], responses={**COMMON_ERRORS, **errors(403, 404)})


class LockoutOut(BaseModel):
    key: str
    failures: int
    locked_until: datetime | None
    last_failure_at: datetime


@router.get("/lockouts")
def list_lockouts(principal: PrincipalDep, session: SessionDep) -> list[LockoutOut]:
    """Accounts ("account:<email>") and client addresses ("address:<ip>") locked out now."""
    return [
        LockoutOut(key=r.key, failures=r.failures, locked_until=r.blocked_until, last_failure_at=r.last_failure_at)
        for r in throttle.locked_keys(session=session, principal=principal)
    ]


@router.delete("/lockouts/{key:path}", status_code=204)
def unlock(key: Text, principal: PrincipalDep, session: SessionDep) -> None:
    """Lift a lockout now; audited as auth.unlocked."""
    if not throttle.unlock(session=session, principal=principal, key=key):
        raise HTTPException(404, f"{key} is not locked out")
