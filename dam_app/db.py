"""Engine and session factory, load guards, and what a database failure means to a caller; knows no domain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, event, text
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, create_engine

from dam_app.config import get_settings

_engines: dict[str, Engine] = {}
_interactive = False


def use_interactive_profile(interactive: bool = True) -> None:
    """The web process: short statement and lock timeouts, a pool sized from its threads (config.py).
    Jobs, migrations and the CLI keep the batch profile: a reindex or a table rewrite may run minutes."""
    global _interactive
    if _interactive != interactive:
        _interactive = interactive
        dispose_engines()


def get_engine() -> Engine:
    url = get_settings().require_database_url()
    if url not in _engines:
        _engines[url] = _create(url)
    return _engines[url]


def _create(url: str) -> Engine:
    settings = get_settings()
    # Always plan with the actual parameters: psycopg prepares a query after five runs, and a generic
    # plan for "ORDER BY embedding <=> $1" scans every row instead of walking the HNSW index
    # (measured: 1.6 s instead of 3 ms at 1M documents). work_mem: search's bitmaps and facet
    # CTEs stay exact and in memory (4 MB made them lossy at 1M: every row on a page re-checked).
    options = [
        "plan_cache_mode=force_custom_plan",
        "work_mem=32MB",
        f"idle_in_transaction_session_timeout={settings.idle_in_transaction_timeout_ms}",
    ]
    if _interactive:
        # One stuck transaction or runaway query must not hold the app hostage: it is cancelled and
        # the caller gets a 503 instead of a hang.
        options += [f"statement_timeout={settings.statement_timeout_ms}", f"lock_timeout={settings.lock_timeout_ms}"]
        pool = {"pool_size": settings.web_pool_size, "max_overflow": 0, "pool_timeout": settings.pool_timeout_s}
    else:
        options.append(f"lock_timeout={settings.batch_lock_timeout_ms}")
        pool = {"pool_size": 5, "max_overflow": 10, "pool_timeout": 30.0}
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": " ".join(f"-c {option}" for option in options), "connect_timeout": 5},
        **pool,
    )


def pool_status() -> str:
    """Connections in use and threads busy, for the log line of a refused request."""
    import anyio.to_thread

    engines = "; ".join(engine.pool.status() for engine in _engines.values())
    try:
        limiter = anyio.to_thread.current_default_thread_limiter()
        threads = f"threads {limiter.borrowed_tokens}/{limiter.total_tokens}"
    except RuntimeError:  # not on an event loop
        threads = "threads n/a"
    return f"{engines}; {threads}"


def dispose_engines() -> None:
    """Close pooled connections (after fork, after a database restart, in tests)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def on_commit(session: Session, callback: Callable[[], object]) -> None:
    """Run `callback` after the session's transaction commits; forget it if the transaction rolls back."""
    if not session.in_transaction():
        session.begin()  # so a rollback before any SQL still forgets the callback
    pending: list[Callable[[], object]] = session.info.setdefault("on_commit", [])
    pending.append(callback)
    if not event.contains(session, "after_commit", _run_pending):
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)


def _run_pending(session: Session) -> None:
    pending = session.info.pop("on_commit", [])
    for callback in pending:
        callback()


def _drop_pending(session: Session, _previous: object) -> None:
    session.info.pop("on_commit", None)


@dataclass(frozen=True)
class Unavailable:
    """A database failure that is the server's state, not the caller's fault: answer 503 and say when to retry."""

    message: str
    retry_after_s: int
    kind: str  # "busy" (overloaded, try again) or "down" (the database cannot be reached)


# SQLSTATEs that mean "try again shortly" rather than "your request is wrong".
_BUSY_STATES = {
    "57014": "the request took too long and was stopped; try again or narrow it",
    "55P03": "a record it needs is being changed by someone else; try again",
    "40P01": "it collided with another change; try again",
    "40001": "it collided with another change; try again",
    "53300": "the database has too many connections; try again",
}
_DOWN_STATES = {"57P01", "57P02", "57P03", "25P03"}


def unavailable(exc: BaseException) -> Unavailable | None:
    """What a database exception means for a caller, or None when it is a real error (a bug, bad data)."""
    if isinstance(exc, sa_exc.TimeoutError):
        return Unavailable("server busy: every database connection is in use; retrying shortly helps", 1, "busy")
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None)
    if state in _BUSY_STATES:
        return Unavailable(f"server busy: {_BUSY_STATES[state]}", 1, "busy")
    if isinstance(exc, sa_exc.OperationalError) and (
        state is None or state.startswith("08") or state in _DOWN_STATES or exc.connection_invalidated
    ):
        return Unavailable("database unavailable: the server cannot reach its database; try again shortly", 5, "down")
    return None


def xact_lock(session: Session, key: str) -> None:
    """A lock on `key` held until the transaction ends (no row to lock: a hash, a number space, a
    board column's capacity)."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})
