"""Load guards of the web process: timeouts on every interactive query, a pool that refuses fast."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dam_app import db
from dam_app.accounts import service as accounts
from dam_app.config import reset_settings_cache


@pytest.fixture
def interactive(services, monkeypatch) -> Iterator[None]:
    """The web profile with a pool of 4 (1 API slot + 1 upload slot + 1 UI thread + 1) that gives up after 0.3 s."""
    for name, value in {
        "DAM_WEB_THREADS": "1",
        "DAM_UI_THREADS": "1",
        "DAM_UPLOAD_SLOTS": "1",
        "DAM_POOL_TIMEOUT_S": "0.3",
        "DAM_STATEMENT_TIMEOUT_MS": "300",
    }.items():
        monkeypatch.setenv(name, value)
    reset_settings_cache()
    db.use_interactive_profile()
    yield
    db.use_interactive_profile(False)
    monkeypatch.undo()
    reset_settings_cache()


def test_interactive_connections_carry_timeouts_and_batch_ones_do_not(interactive) -> None:
    with db.session_scope() as session:
        shown = [session.execute(text(f"SHOW {name}")).scalar() for name in ("statement_timeout", "lock_timeout")]
        idle = session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar()
    assert shown == ["300ms", "3s"] and idle == "2min"
    db.use_interactive_profile(False)
    with db.session_scope() as session:
        assert session.execute(text("SHOW statement_timeout")).scalar() == "0"
        assert session.execute(text("SHOW lock_timeout")).scalar() == "1min"


def test_a_runaway_query_is_cancelled_and_reads_as_busy(interactive) -> None:
    started = time.monotonic()
    with pytest.raises(SQLAlchemyError) as raised, db.session_scope() as session:
        session.execute(text("SELECT pg_sleep(5)"))
    assert time.monotonic() - started < 2
    reason = db.unavailable(raised.value)
    assert reason is not None and reason.kind == "busy" and "took too long" in reason.message


def test_an_exhausted_pool_answers_503_at_once_and_recovers(interactive, make_user) -> None:
    from dam_app.api.app import build_api

    user, _ = make_user("viewer", all_regions=True)
    with db.session_scope() as session:
        token = accounts.issue_api_token(session=session, user_id=user.id, name="t").token
    auth = {"Authorization": f"Bearer {token}"}
    engine = db.get_engine()
    held = [engine.connect() for _ in range(4)]  # every pooled connection taken
    with TestClient(build_api()) as client:
        try:
            started = time.monotonic()
            busy = client.get("/api/v1/assets", headers=auth)
            assert time.monotonic() - started < 2
            assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
            assert "every database connection is in use" in busy.json()["detail"]
        finally:
            for connection in held:
                connection.close()
        assert client.get("/api/v1/assets", headers=auth).status_code == 200


def test_real_errors_are_not_mistaken_for_overload(services) -> None:
    with pytest.raises(SQLAlchemyError) as raised, db.session_scope() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    assert db.unavailable(raised.value) is None
