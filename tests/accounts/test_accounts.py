"""Passwords, sessions, one-time codes and API tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from dam_app.accounts import service as accounts
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.accounts.models import ApiToken, AuthSession, User
from dam_app.accounts.principal import PermissionDenied
from dam_app.db import session_scope
from dam_app.fields import utcnow


def test_passwords_are_argon2_hashes_and_wrong_ones_fail(make_user) -> None:  # type: ignore[no-untyped-def]
    user, _ = make_user("viewer", regions=["EU"], password="correct-horse-battery")
    assert user.password_hash.startswith("$argon2id$") and "correct-horse" not in user.password_hash
    signed_in = sign_in(email=user.email.upper(), password="correct-horse-battery", address=None, hours=1)
    assert signed_in.user_id == user.id and signed_in.exchange_code
    for email, password in ((user.email, "wrong-password"), ("nobody@example.com", "x" * 12)):
        with pytest.raises(SignInRefused, match="Wrong e-mail or password") as refused:
            sign_in(email=email, password=password, address=None, hours=1)
        assert not refused.value.throttled
    with session_scope() as session:
        assert session.get(User, user.id).last_login_at is not None  # type: ignore[union-attr]


def test_exchange_code_is_single_use_and_short_lived(make_user) -> None:  # type: ignore[no-untyped-def]
    user, _ = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        _, code = accounts.start_session(session=session, user=session.get(User, user.id), hours=12)
    with session_scope() as session:
        token = accounts.redeem_exchange_code(session=session, code=code)
        assert token and accounts.user_for_session_token(session=session, token=token).id == user.id
    with session_scope() as session:
        assert accounts.redeem_exchange_code(session=session, code=code) is None
        _, late = accounts.start_session(session=session, user=session.get(User, user.id), hours=12)
        record = session.exec(select(AuthSession).order_by(AuthSession.created_at.desc())).first()  # type: ignore[union-attr]
        record.exchange_expires_at = utcnow() - timedelta(seconds=1)
    with session_scope() as session:
        assert accounts.redeem_exchange_code(session=session, code=late) is None


def test_sessions_expire_and_logout_revokes(make_user) -> None:  # type: ignore[no-untyped-def]
    user, _ = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        _, code = accounts.start_session(session=session, user=session.get(User, user.id), hours=12)
        token = accounts.redeem_exchange_code(session=session, code=code)
    assert token
    with session_scope() as session:
        accounts.end_session(session=session, token=token)
    with session_scope() as session:
        assert accounts.user_for_session_token(session=session, token=token) is None
        _, code = accounts.start_session(session=session, user=session.get(User, user.id), hours=12)
        fresh = accounts.redeem_exchange_code(session=session, code=code)
        for record in session.exec(select(AuthSession)):
            record.expires_at = utcnow() - timedelta(minutes=1)
    with session_scope() as session:
        assert accounts.user_for_session_token(session=session, token=fresh or "") is None


def test_api_tokens_are_hashed_revocable_and_expire(make_user) -> None:  # type: ignore[no-untyped-def]
    user, principal = make_user("editor", regions=["NA"])
    _, other = make_user("viewer", regions=["NA"])
    with session_scope() as session:
        issued = accounts.issue_api_token(session=session, user_id=user.id, name="ci", days=30)
    with session_scope() as session:
        stored = session.get(ApiToken, issued.record.id)
        assert stored is not None and issued.token not in stored.token_hash and stored.prefix == issued.token[:8]
        assert accounts.user_for_api_token(session=session, token=issued.token).id == user.id
        with pytest.raises(PermissionDenied):
            accounts.revoke_api_token(session=session, principal=other, token_id=issued.record.id)
        accounts.revoke_api_token(session=session, principal=principal, token_id=issued.record.id)
    with session_scope() as session:
        assert accounts.user_for_api_token(session=session, token=issued.token) is None
        expiring = accounts.issue_api_token(session=session, user_id=user.id, name="old", days=1)
        expiring.record.expires_at = utcnow() - timedelta(seconds=1)
    with session_scope() as session:
        assert accounts.user_for_api_token(session=session, token=expiring.token) is None


def test_account_input_is_validated(make_user) -> None:  # type: ignore[no-untyped-def]
    _, admin = make_user("admin", all_regions=True)
    _, viewer = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        for kwargs, message in (
            ({"role": "overlord"}, "unknown role"),
            ({"region_codes": ["MARS"]}, "unknown market(s): MARS"),
            ({"email": "not-an-email"}, "not an e-mail address"),
            ({"password": "short"}, "at least 10 characters"),
        ):
            args = {"email": "new@example.com", "password": "long-enough-pw", "role": "viewer", **kwargs}
            with pytest.raises(accounts.AccountError, match=re.escape(message)):
                accounts.create_user(session=session, actor=admin, **args)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied, match=re.escape("lacks permission 'user.manage'")):
            accounts.create_user(
                session=session, actor=viewer, email="x@example.com", password="long-enough-pw", role="viewer"
            )
