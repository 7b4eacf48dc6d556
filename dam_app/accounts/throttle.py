"""Throttling of password guesses: growing delays, then a temporary lockout, per key.

A key is what is being guessed at or from: an account ("account:<email>"), a client address
("address:<ip>"), later a share link's password ("share:<id>"). The same rows serve all of them.
Checked before the (deliberately slow) password hash is verified, so a refused guess costs one
indexed read. Each failure is one upsert in a short transaction of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from dam_app.accounts.models import LoginThrottle
from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.fields import utcnow


@dataclass(frozen=True)
class Policy:
    """After `delay_after` failures in `window`, each guess waits 2^k s (up to `max_delay`);
    at `lock_after` failures the key is locked for `lockout`."""

    noun: str  # "this account", "your address"
    delay_after: int
    lock_after: int
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    max_delay: timedelta = timedelta(seconds=30)

    def block_for(self, failures: int) -> tuple[timedelta | None, bool]:
        if failures >= self.lock_after:
            return self.lockout, True
        if failures >= self.delay_after:
            return min(self.max_delay, timedelta(seconds=2 ** (failures - self.delay_after))), False
        return None, False


ACCOUNT = Policy(noun="this account", delay_after=3, lock_after=10)
# Many people can share one address (an office, a carrier's NAT): a higher bar than one account.
ADDRESS = Policy(noun="your network address", delay_after=10, lock_after=50)


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after_s: int
    locked: bool
    until: datetime


def account_key(email: str) -> str:
    return f"account:{email.strip().lower()[:250]}"


def address_key(address: str) -> str:
    return f"address:{address[:250]}"


def check(*, session: Session, keys: list[tuple[str, Policy]], now: datetime | None = None) -> Refusal | None:
    """The refusal of the most-blocked key, or None when a guess may be tried now."""
    now = now or utcnow()
    policies = dict(keys)
    rows = session.exec(
        select(LoginThrottle).where(col(LoginThrottle.key).in_(list(policies)), col(LoginThrottle.blocked_until) > now)
    ).all()
    if not rows:
        return None
    row = max(rows, key=lambda r: r.blocked_until or now)
    return _refusal(row, policies[row.key], now)


def record_failure(
    *, session: Session, key: str, policy: Policy, details: dict[str, object], now: datetime | None = None
) -> Refusal | None:
    """Count one failed guess; return the refusal the next guess will meet (if any)."""
    now = now or utcnow()
    failures, started = session.execute(
        text(
            "INSERT INTO login_throttles AS t (key, failures, window_started_at, last_failure_at, locked)"
            " VALUES (:key, 1, :now, :now, false)"
            " ON CONFLICT (key) DO UPDATE SET"
            "  failures = CASE WHEN t.window_started_at < :cutoff THEN 1 ELSE t.failures + 1 END,"
            "  window_started_at = CASE WHEN t.window_started_at < :cutoff THEN :now ELSE t.window_started_at END,"
            "  last_failure_at = :now"
            " RETURNING failures, window_started_at"
        ),
        {"key": key, "now": now, "cutoff": now - policy.window},
    ).one()
    block, locked = policy.block_for(failures)
    row = session.get(LoginThrottle, key, populate_existing=True)
    assert row is not None
    row.blocked_until, row.locked = (now + block if block else None), locked
    session.add(row)
    audit_service.record(
        session=session,
        actor_id=None,
        action="auth.locked" if locked else "auth.login_failed",
        object_type="login",
        object_id=key,
        details={**details, "failures": failures, "window_started_at": started.isoformat()},
    )
    return _refusal(row, policy, now) if block else None


def clear(*, session: Session, key: str) -> None:
    """A successful sign-in forgets the account's failures (never an address's: one valid account
    must not reset the count of guesses made from the same place at other accounts)."""
    session.execute(text("DELETE FROM login_throttles WHERE key = :key"), {"key": key})


def locked_keys(*, session: Session, principal: Principal, now: datetime | None = None) -> list[LoginThrottle]:
    """What is locked out now, for the admin view (most recent first)."""
    principal.require("user.manage")
    now = now or utcnow()
    return list(
        session.exec(
            select(LoginThrottle)
            .where(col(LoginThrottle.locked), col(LoginThrottle.blocked_until) > now)
            .order_by(col(LoginThrottle.last_failure_at).desc())
        )
    )


def unlock(*, session: Session, principal: Principal, key: str) -> bool:
    principal.require("user.manage")
    row = session.get(LoginThrottle, key)
    if row is None:
        return False
    session.delete(row)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="auth.unlocked",
        object_type="login",
        object_id=key,
        details={"failures": row.failures},
    )
    return True


def prune(*, session: Session, now: datetime | None = None) -> None:
    """Forget keys whose window and block are long over (keeps the table to live attackers)."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    session.execute(
        text(
            "DELETE FROM login_throttles"
            " WHERE last_failure_at < :cutoff AND COALESCE(blocked_until, :cutoff) <= :cutoff"
        ),
        {"cutoff": cutoff},
    )


def _refusal(row: LoginThrottle, policy: Policy, now: datetime) -> Refusal:
    until = row.blocked_until or now
    wait = max(1, int((until - now).total_seconds() + 0.999))
    if row.locked:
        message = (
            f"{policy.noun.capitalize()} is locked after {row.failures} failed sign-ins in "
            f"{int(policy.window.total_seconds() // 60)} minutes; it unlocks at {until:%H:%M} UTC "
            f"(in {_duration(wait)}), or an administrator can unlock it now."
        )
    else:
        message = f"Too many failed sign-ins for {policy.noun}; try again in {_duration(wait)}."
    return Refusal(message, wait, row.locked, until)


def _duration(seconds: int) -> str:
    return f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"
