"""Passwords, sessions, one-time codes and API tokens."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from dam_app.accounts import service as accounts
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.accounts.models import ApiToken, AuthSession, User
from dam_app.accounts.principal import PermissionDenied
from dam_app.db import session_scope
from dam_app.fields import utcnow
from tests import factories
from tests.conftest import MakeUser


def test_passwords_are_argon2_hashes_and_wrong_ones_fail(make_user: MakeUser) -> None:
    user, _ = make_user("viewer", regions=["EU"], password="correct-horse-battery")
    assert user.password_hash.startswith("$argon2id$") and "correct-horse" not in user.password_hash
    signed_in = sign_in(email=user.email.upper(), password="correct-horse-battery", address=None, hours=1)
    assert signed_in.user_id == user.id and signed_in.exchange_code
    for email, password in ((user.email, "wrong-password"), ("nobody@example.com", "x" * 12)):
        with pytest.raises(SignInRefused, match="Wrong e-mail or password") as refused:
            sign_in(email=email, password=password, address=None, hours=1)
        assert not refused.value.throttled
    with session_scope() as session:
        record = session.get(User, user.id)
        assert record is not None and record.last_login_at is not None


def test_exchange_code_is_single_use_and_short_lived(tx: Session) -> None:
    user, _ = factories.user(tx, role="viewer", regions=["EU"])
    _, code = accounts.start_session(session=tx, user=user, hours=12)
    token = accounts.redeem_exchange_code(session=tx, code=code)
    found = accounts.user_for_session_token(session=tx, token=token) if token else None
    assert token and found is not None and found.id == user.id
    assert accounts.redeem_exchange_code(session=tx, code=code) is None
    _, late = accounts.start_session(session=tx, user=user, hours=12)
    record = tx.exec(select(AuthSession).order_by(col(AuthSession.created_at).desc())).first()
    assert record is not None
    record.exchange_expires_at = utcnow() - timedelta(seconds=1)
    tx.flush()
    assert accounts.redeem_exchange_code(session=tx, code=late) is None


def test_sessions_expire_and_logout_revokes(tx: Session) -> None:
    user, _ = factories.user(tx, role="viewer", regions=["EU"])
    _, code = accounts.start_session(session=tx, user=user, hours=12)
    token = accounts.redeem_exchange_code(session=tx, code=code)
    assert token
    accounts.end_session(session=tx, token=token)
    assert accounts.user_for_session_token(session=tx, token=token) is None
    _, code = accounts.start_session(session=tx, user=user, hours=12)
    fresh = accounts.redeem_exchange_code(session=tx, code=code)
    for record in tx.exec(select(AuthSession)):
        record.expires_at = utcnow() - timedelta(minutes=1)
    tx.flush()
    assert accounts.user_for_session_token(session=tx, token=fresh or "") is None


def test_api_tokens_are_hashed_revocable_and_expire(tx: Session) -> None:
    user, principal = factories.user(tx, role="editor", regions=["NA"])
    _, other = factories.user(tx, role="viewer", regions=["NA"])
    issued = accounts.issue_api_token(session=tx, user_id=user.id, name="ci", days=30)
    stored = tx.get(ApiToken, issued.record.id)
    assert stored is not None and issued.token not in stored.token_hash and stored.prefix == issued.token[:8]
    holder = accounts.user_for_api_token(session=tx, token=issued.token)
    assert holder is not None and holder.id == user.id
    with pytest.raises(PermissionDenied):
        accounts.revoke_api_token(session=tx, principal=other, token_id=issued.record.id)
    accounts.revoke_api_token(session=tx, principal=principal, token_id=issued.record.id)
    tx.flush()
    assert accounts.user_for_api_token(session=tx, token=issued.token) is None
    expiring = accounts.issue_api_token(session=tx, user_id=user.id, name="old", days=1)
    expiring.record.expires_at = utcnow() - timedelta(seconds=1)
    tx.flush()
    assert accounts.user_for_api_token(session=tx, token=expiring.token) is None


def test_account_input_is_validated(tx: Session) -> None:
    admin = factories.admin(tx)
    _, viewer = factories.user(tx, role="viewer", regions=["EU"])
    for kwargs, message in (
        ({"role": "overlord"}, "unknown role"),
        ({"region_codes": ["MARS"]}, "unknown market(s): MARS"),
        ({"email": "not-an-email"}, "not an e-mail address"),
        ({"password": "short"}, "at least 10 characters"),
    ):
        args: dict[str, Any] = {"email": "new@example.com", "password": "long-enough-pw", "role": "viewer", **kwargs}
        with pytest.raises(accounts.AccountError, match=re.escape(message)):
            accounts.create_user(session=tx, actor=admin, **args)
    with pytest.raises(PermissionDenied, match=re.escape("lacks permission 'user.manage'")):
        accounts.create_user(session=tx, actor=viewer, email="x@example.com", password="long-enough-pw", role="viewer")
