"""Last use of tokens and sessions: noted in memory, written in batches that never wait for a lock."""

from __future__ import annotations

import uuid

from sqlmodel import select

from dam_app.accounts import service as accounts
from dam_app.accounts.last_use import LastUseRecorder
from dam_app.accounts.models import ApiToken, AuthSession, User
from dam_app.db import session_scope
from tests.concurrency import finishes_within, row_locked


def test_token_use_is_noted_once_per_interval_and_written_by_flush(make_user, monkeypatch) -> None:
    from dam_app.accounts import last_use

    recorder = LastUseRecorder(interval_s=60)
    monkeypatch.setattr(last_use, "recorder", recorder)
    user, _ = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        issued = accounts.issue_api_token(session=session, user_id=user.id, name="script")
        record = session.get(User, user.id)
        assert record is not None
        _, code = accounts.start_session(session=session, user=record, hours=1)
        cookie = accounts.redeem_exchange_code(session=session, code=code)
    assert cookie
    with session_scope() as session:
        for _ in range(50):
            assert accounts.user_for_api_token(session=session, token=issued.token) is not None
            assert accounts.user_for_session_token(session=session, token=cookie) is not None
        # The request's transaction wrote nothing: a concurrent writer of the row would not wait on it.
        assert not session.dirty and not session.new
    assert len(recorder.pending) == 2
    recorder.flush()
    assert recorder.written == 2
    with session_scope() as session:
        assert session.get(ApiToken, issued.record.id).last_used_at is not None  # type: ignore[union-attr]
        login = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
        assert login.last_seen_at is not None
    with session_scope() as session:
        accounts.user_for_api_token(session=session, token=issued.token)
    assert not recorder.pending  # nothing new within the interval


def test_flush_skips_a_row_locked_by_another_transaction_instead_of_waiting(make_user) -> None:
    user, _ = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        issued = accounts.issue_api_token(session=session, user_id=user.id, name="script")
    recorder = LastUseRecorder(interval_s=60)
    recorder.touch("token", issued.record.id)
    recorder.touch("token", uuid.uuid4())  # a token deleted meanwhile: nothing to write, no error
    with row_locked("api_tokens", issued.record.id):
        assert finishes_within(5, recorder.flush), "flush waited for the row lock"
        assert recorder.written == 0
    with session_scope() as session:
        assert session.get(ApiToken, issued.record.id).last_used_at is None  # type: ignore[union-attr]
