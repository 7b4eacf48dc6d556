"""Real PostgreSQL (pgvector) and Redis, embedded, one set per test session; a real RQ worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

if TYPE_CHECKING:
    from dam_app.accounts.models import User
    from dam_app.accounts.principal import Principal
    from dam_app.runtime.embedded import EmbeddedServices

TEST_ENV = {
    "DAM_JOB_RETRIES": "1",
    "DAM_JOB_RETRY_DELAYS": "[1]",
    "DAM_DEMO_DATA": "false",
    "REFLEX_TELEMETRY_ENABLED": "false",
}
REFERENCE_TABLES = {"markets", "content_types", "phases", "channels", "roles", "alembic_version"}
_EMBEDDED: list[EmbeddedServices] = []  # the session's EmbeddedServices, for tests that stop and start them
_SESSION_WORKER: list[WorkerProcess] = []
_DIRTY = [True]  # whether committed rows may be left in the tables (a fresh database holds none, but be safe)


SLOW_FIXTURES = {"web", "worker", "embedded", "browser", "page"}  # a real server, worker or browser
SLOW_PATHS = ("e2e/", "faults/", "cli/test_up.py", "jobs/test_pipeline.py")  # start their own processes


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that needs the web server, the worker or a browser (`make test-fast`
    leaves them out)."""
    root = Path(__file__).parent
    for item in items:
        where = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or where.startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    var_dir = tmp_path_factory.mktemp("var")
    os.environ.update(TEST_ENV, DAM_VAR_DIR=str(var_dir))
    os.environ.pop("DAM_DATABASE_URL", None)
    os.environ.pop("DAM_REDIS_URL", None)
    from dam_app.config import reset_settings_cache
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database

    reset_settings_cache()
    embedded = ensure_services()
    _EMBEDDED.append(embedded)
    upgrade_database()
    env = {
        "DAM_DATABASE_URL": os.environ["DAM_DATABASE_URL"],
        "DAM_REDIS_URL": os.environ["DAM_REDIS_URL"],
        "DAM_VAR_DIR": str(var_dir),
    }
    yield env
    from dam_app.db import dispose_engines

    dispose_engines()
    embedded.stop()


class _ProcessGroup:
    """A child in its own process group: SIGKILL for a crash, SIGTERM (then SIGKILL) to stop."""

    proc: subprocess.Popen[bytes] | None = None
    stop_timeout = 10.0

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()


class WorkerProcess(_ProcessGroup):
    """A real `python -m dam_app.worker` in its own process group, so a test can kill it."""

    def __init__(self, env: dict[str, str], args: Sequence[str] = ()) -> None:
        self.env = {**os.environ, **env}
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = Path(self.env["DAM_VAR_DIR"]) / "worker.log"

    def start(self) -> None:
        log_path = self.log_path = Path(self.env["DAM_VAR_DIR"]) / f"worker-{uuid.uuid4().hex[:6]}.log"
        with log_path.open("wb") as log:  # kept for diagnosis when a pipeline test fails
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "dam_app.worker", *self.args],
                env=self.env,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )


@pytest.fixture(scope="session")
def worker(services: dict[str, str]) -> Iterator[WorkerProcess]:
    process = WorkerProcess(services)
    process.start()
    _SESSION_WORKER.append(process)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def embedded(services: dict[str, str]) -> EmbeddedServices:
    """The session's EmbeddedServices: `stop_postgres()`, `start_postgres()`, `stop_redis()`, `start_redis()`."""
    return _EMBEDDED[0]


@contextmanager
def session_worker_paused() -> Iterator[None]:
    """Stop the session's worker (if a test started it) for tests that run workers of their own."""
    running = [w for w in _SESSION_WORKER if w.proc is not None and w.proc.poll() is None]
    for process in running:
        process.stop()
    try:
        yield
    finally:
        for process in running:
            process.start()


class WebProcess(_ProcessGroup):
    """The real web process (`reflex run --env prod`, its API and websocket backend) in its own process
    group on a free port. Backend only: no frontend build, so it is up in seconds and can be killed."""

    stop_timeout = 15.0

    def __init__(self, env: dict[str, str]) -> None:
        from dam_app.runtime.supervisor import child_environment

        self.port = _free_port()
        self.env = child_environment(env["DAM_DATABASE_URL"], env["DAM_REDIS_URL"])
        self.env["DAM_VAR_DIR"] = env["DAM_VAR_DIR"]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(env["DAM_VAR_DIR"]) / f"web-{uuid.uuid4().hex[:6]}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> str:
        from dam_app.config import PROJECT_ROOT

        reflex = str(Path(sys.executable).with_name("reflex"))
        command = [reflex, "run", "--env", "prod", "--backend-only", "--backend-host", "127.0.0.1"]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [*command, "--backend-port", str(self.port), "--loglevel", "warning"],
                cwd=PROJECT_ROOT,
                env=self.env,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text(errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/health", timeout=2) as response:
                    if response.status == 200:
                        return self.base
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"web process not up in {timeout} s: {self.log_path.read_text(errors='replace')[-3000:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table but the reference data, and the queue, before each test that commits rows
    (a test on `tx` alone commits nothing: `tx` empties the tables only when a committing test ran)."""
    if _commits_rows(request):
        request.getfixturevalue("services")
        _truncate()
        _DIRTY[0] = True
    yield


def _commits_rows(request: pytest.FixtureRequest) -> bool:
    """Whether the test's rows are committed: seen by the worker, the web server or another session."""
    names = request.fixturenames
    if any(name in names for name in ("db", "worker", "admin", "make_user", "web")):
        return True
    return "services" in names and "tx" not in names


def _truncate() -> None:
    from sqlalchemy import insert

    from dam_app.db import session_scope
    from dam_app.review.compliance_models import RulePack
    from dam_app.review.rules import builtin as builtin_packs
    from dam_app.search import ranking

    ranking.forget_stats()  # word rarity read from the documents of an earlier test

    _empty_queues()
    for attempt in range(5):
        try:
            with session_scope() as session:
                tables = session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
                doomed = [t for t in tables if t not in REFERENCE_TABLES]
                session.execute(text(f"TRUNCATE {', '.join(doomed)} RESTART IDENTITY CASCADE"))
                session.execute(text("DELETE FROM campaigns"))
                session.execute(insert(RulePack), builtin_packs.first_versions())  # as migration 0017 left them
            break
        except OperationalError as exc:
            # A job of the previous test still running in the session's worker reads tables in
            # another order than TRUNCATE locks them; PostgreSQL then cancels the TRUNCATE.
            if "deadlock" not in str(exc) or attempt == 4:
                raise
            time.sleep(0.5)
    _empty_queues()


def _empty_queues() -> None:
    """Drop the jobs an earlier test queued (stages and alert drains alike) so none runs into this one."""
    from dam_app.notify.jobs import ALERT_QUEUE
    from dam_app.stages import REGISTRY
    from dam_app.worker import queues

    for kind in {queues.DEFAULT_QUEUE, ALERT_QUEUE, *REGISTRY.queues()}:
        queues.queue(kind).empty()


@pytest.fixture
def client(services: dict[str, str]) -> Iterator[TestClient]:
    """The REST API in-process on the real database (imported once the services' settings are set)."""
    from dam_app.api.app import build_api

    with TestClient(build_api()) as c:
        yield c


@pytest.fixture
def tx(services: dict[str, str]) -> Iterator[Session]:
    """A session inside one outer transaction that is rolled back after the test: a service's
    `session.commit()` only releases a savepoint, and nothing reaches another connection."""
    from dam_app.db import get_engine

    if _DIRTY[0]:  # an earlier test committed rows; tests on `tx` then start from empty tables
        _truncate()
        _DIRTY[0] = False
    connection = get_engine().connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def db(services: dict[str, str]) -> Iterator[Session]:
    from dam_app.db import session_scope

    with session_scope() as session:
        yield session


class MakeUser(Protocol):
    def __call__(
        self,
        role: str = ...,
        regions: list[str] | None = ...,
        all_regions: bool = ...,
        password: str = ...,
    ) -> tuple[User, Principal]: ...


@pytest.fixture
def make_user(services: dict[str, str]) -> MakeUser:
    """Create (and commit) a user and return (user, principal)."""
    from dam_app.accounts import service as accounts
    from dam_app.db import session_scope

    def _make(
        role: str = "editor",
        regions: list[str] | None = None,
        all_regions: bool = False,
        password: str = "correct-horse-battery",
    ) -> tuple[User, Principal]:
        with session_scope() as session:
            user = accounts.create_user(
                session=session,
                email=f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                password=password,
                role=role,
                region_codes=regions or [],
                all_regions=all_regions,
            )
            principal = accounts.principal_for(session=session, user=user)
        return user, principal

    return _make


@pytest.fixture
def admin(make_user: MakeUser) -> Principal:
    return make_user("admin", all_regions=True)[1]


def ingest_path(
    principal: Principal, path: Path, markets: Sequence[str] = ("NA",), title: str | None = None, **classification: Any
) -> Any:  # an IngestResult; Any because ~40 callers read its Optional asset_id as set
    """Ingest one file as `principal` would upload it, classified into `markets` (and any other
    Classification fields given), titled `title` if given."""
    from dam_app.assets.classify import Classification
    from dam_app.assets.ingest import IngestFields, ingest_file
    from dam_app.db import session_scope

    with session_scope() as session:
        return ingest_file(
            session=session,
            principal=principal,
            path=path,
            filename=path.name,
            fields=IngestFields(classification=Classification(markets=list(markets), **classification), title=title),
        )


def wait_until_processed(asset_id: uuid.UUID, timeout: float = 60.0) -> str:
    """Poll the asset's status until the worker has finished with it; return the final status."""
    from dam_app.assets.models import Asset
    from dam_app.db import session_scope

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as session:
            asset = session.get(Asset, asset_id)
            if asset is not None and asset.status in ("ready", "failed"):
                return str(asset.status)
        time.sleep(0.1)
    raise AssertionError(f"asset {asset_id} still processing after {timeout} s")


@pytest.fixture
def sample_files(tmp_path: Path) -> dict[str, Path]:
    from dam_app.demo import generate

    return {
        "jpeg": generate.product_shot(tmp_path / "shoe.jpg", "Aero Run Sneaker", (40, 110, 220)),
        "png": generate.banner(tmp_path / "banner-ja.png", "ja", (200, 40, 60)),
        "video": generate.short_video(tmp_path / "teaser.mp4", seconds=1.0),
        "copy": generate.copy_document(tmp_path / "copy-en.md", "Hydra Glow Serum"),
    }
