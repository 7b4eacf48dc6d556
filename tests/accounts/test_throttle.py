"""Password guesses meet growing delays, then a lockout, per account and per address; admins unlock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dam_app.accounts import throttle
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.accounts.models import LoginThrottle
from dam_app.accounts.principal import PermissionDenied
from dam_app.audit.models import AuditEvent
from dam_app.db import session_scope
from dam_app.fields import utcnow

GOOD = "correct-horse-battery"


def _guess(email: str, password: str = "wrong-password-1", address: str | None = "10.0.0.1") -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        sign_in(email=email, password=password, address=address, hours=1)
    return refused.value


def _let_time_pass(key: str) -> None:
    """The current delay is over (the window keeps counting)."""
    with session_scope() as session:
        row = session.get(LoginThrottle, key)
        assert row is not None
        row.blocked_until = utcnow() - timedelta(seconds=1)


def test_delays_grow_then_the_account_locks_and_even_the_right_password_waits(make_user) -> None:
    user, _ = make_user("viewer", regions=["EU"], password=GOOD)
    key = throttle.account_key(user.email)
    for _ in range(throttle.ACCOUNT.delay_after - 1):
        assert not _guess(user.email).throttled
    assert _guess(user.email).message == "Wrong e-mail or password."  # the 3rd failure starts a delay
    delayed = _guess(user.email, GOOD)  # refused before the password is even checked
    assert delayed.throttled and delayed.retry_after_s == 1 and "try again in 1 s" in delayed.message
    waits = []
    for _ in range(throttle.ACCOUNT.lock_after - throttle.ACCOUNT.delay_after):
        _let_time_pass(key)
        _guess(user.email)
        with session_scope() as session:
            row = session.get(LoginThrottle, key)
            assert row is not None and row.blocked_until is not None
            waits.append(round((row.blocked_until - row.last_failure_at).total_seconds()))
    assert waits[:-1] == [2, 4, 8, 16, 30, 30]  # doubling, capped at 30 s
    assert waits[-1] == 15 * 60  # the 10th failure in 15 minutes locks for 15 minutes
    locked = _guess(user.email, GOOD)
    assert locked.throttled and "is locked after 10 failed sign-ins in 15 minutes" in locked.message
    assert locked.retry_after_s is not None
    assert "unlocks at" in locked.message and 14 * 60 <= locked.retry_after_s <= 15 * 60
    with session_scope() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.object_id == key))]
    assert actions.count("auth.login_failed") == 9 and actions.count("auth.locked") == 1


def test_admin_sees_and_lifts_a_lockout_and_success_forgets_failures(make_user) -> None:
    user, _ = make_user("viewer", regions=["EU"], password=GOOD)
    _, admin = make_user("admin", all_regions=True)
    _, editor = make_user("editor", regions=["EU"])
    key = throttle.account_key(user.email)
    now = utcnow()
    with session_scope() as session:
        for _ in range(throttle.ACCOUNT.lock_after):
            throttle.record_failure(session=session, key=key, policy=throttle.ACCOUNT, details={}, now=now)
    with session_scope() as session:
        assert [row.key for row in throttle.locked_keys(session=session, principal=admin)] == [key]
        with pytest.raises(PermissionDenied):
            throttle.locked_keys(session=session, principal=editor)
        assert throttle.unlock(session=session, principal=admin, key=key)
    assert sign_in(email=user.email, password=GOOD, address=None, hours=1).user_id == user.id
    _guess(user.email)
    sign_in(email=user.email, password=GOOD, address=None, hours=1)
    with session_scope() as session:
        assert session.get(LoginThrottle, key) is None  # the success cleared the failure before it
        unlocked = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.unlocked")).one()
        assert unlocked.actor_id == admin.user_id and unlocked.object_id == key


def test_one_address_guessing_at_many_accounts_is_locked_out(make_user) -> None:
    user, _ = make_user("viewer", regions=["EU"], password=GOOD)
    key = throttle.address_key("203.0.113.9")
    now = utcnow()
    with session_scope() as session:
        for n in range(throttle.ADDRESS.lock_after):
            throttle.record_failure(
                session=session, key=key, policy=throttle.ADDRESS, details={"email": f"u{n}@x.org"}, now=now
            )
    refused = _guess(user.email, GOOD, address="203.0.113.9")
    assert refused.throttled and "Your network address is locked" in refused.message
    assert sign_in(email=user.email, password=GOOD, address="198.51.100.7", hours=1).user_id == user.id


def test_failures_outside_the_window_start_a_new_count(services) -> None:
    key = throttle.account_key("someone@example.com")
    start = utcnow() - timedelta(hours=1)
    with session_scope() as session:
        for _ in range(5):
            throttle.record_failure(session=session, key=key, policy=throttle.ACCOUNT, details={}, now=start)
        throttle.record_failure(session=session, key=key, policy=throttle.ACCOUNT, details={})
    with session_scope() as session:
        row = session.get(LoginThrottle, key)
        assert row is not None and row.failures == 1 and not row.locked and row.blocked_until is None
