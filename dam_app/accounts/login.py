"""Password sign-in for the browser and the API: throttled, with the hash verified outside any transaction.

Each step is its own short transaction (check, then verify with no connection held, then record),
because a failed guess must be counted even though the sign-in fails, and argon2's deliberate ~50 ms
must not hold a pooled connection.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from sqlmodel import select

from dam_app.accounts import service as accounts
from dam_app.accounts import throttle
from dam_app.accounts.models import User
from dam_app.accounts.security import verify_password
from dam_app.db import session_scope
from dam_app.fields import utcnow

WRONG_CREDENTIALS = "Wrong e-mail or password."


class SignInRefused(Exception):
    """Wrong credentials (401) or throttled (429, with the seconds until the next try)."""

    def __init__(self, message: str, *, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s

    @property
    def throttled(self) -> bool:
        return self.retry_after_s is not None


@dataclass(frozen=True)
class SignedIn:
    user_id: uuid.UUID
    exchange_code: str


def sign_in(*, email: str, password: str, address: str | None, hours: int) -> SignedIn:
    """Check the throttles, verify the password, start a session; raise SignInRefused otherwise."""
    email = email.strip().lower()
    keys = [(throttle.account_key(email), throttle.ACCOUNT)]
    if address:
        keys.append((throttle.address_key(address), throttle.ADDRESS))
    with session_scope() as session:
        refusal = throttle.check(session=session, keys=keys)
        user = session.exec(select(User).where(User.email == email)).first()
        password_hash = user.password_hash if user else None
    if refusal is not None:
        raise SignInRefused(refusal.message, retry_after_s=refusal.retry_after_s)
    valid = verify_password(password_hash, password) and user is not None and user.is_active
    with session_scope() as session:
        if not valid:
            details: dict[str, object] = {"email": email, "address": address}
            refusals = [
                throttle.record_failure(session=session, key=key, policy=policy, details=details)
                for key, policy in keys
            ]
            if random.random() < 0.01:
                throttle.prune(session=session)
        else:
            assert user is not None
            throttle.clear(session=session, key=keys[0][0])
            fresh = session.get(User, user.id)
            assert fresh is not None
            fresh.last_login_at = utcnow()
            session.add(fresh)
            _, code = accounts.start_session(session=session, user=fresh, hours=hours)
    if not valid:
        locked = next((r for r in refusals if r is not None and r.locked), None)
        if locked is not None:
            raise SignInRefused(locked.message, retry_after_s=locked.retry_after_s)
        raise SignInRefused(WRONG_CREDENTIALS)
    assert user is not None
    return SignedIn(user.id, code)
