"""`dam up`: embedded servers, migrations, demo data, the worker, the alert worker and the web app;
Ctrl-C stops all."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dam_app.accounts.bootstrap import AdminLogin, ensure_admin
from dam_app.assets.jobs import enqueue_missing_stages
from dam_app.config import PROJECT_ROOT, get_settings, reset_settings_cache
from dam_app.demo import loader
from dam_app.runtime.embedded import start_embedded
from dam_app.runtime.migrate import upgrade_database
from dam_app.search.jobs import enqueue_missing
from dam_app.storage.tempfiles import sweep_stale


def child_environment(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DAM_DATABASE_URL=database_url,
        DAM_REDIS_URL=redis_url,
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        HF_HUB_OFFLINE="1",
    )
    workers = get_settings().web_workers
    if workers > 1:  # several web processes share Reflex's state through Redis (a database of its own)
        env.update(REFLEX_REDIS_URL=redis_database(redis_url, REFLEX_STATE_DB), GRANIAN_WORKERS=str(workers))
    bun_dir = PROJECT_ROOT / "tools" / "node_modules" / "@oven" / "bun-linux-x64" / "bin"
    if bun_dir.is_dir():
        env["PATH"] = f"{bun_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


REFLEX_STATE_DB = 1  # the queue and live events use the URL's own database (0 unless it names one)


def redis_database(url: str, number: int) -> str:
    """The same Redis server, database `number`: a path for redis://, a `db` parameter for unix://."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(number))]
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{number}"))


def web_command(port: int) -> list[str]:
    reflex = Path(sys.executable).with_name("reflex")
    return [
        str(reflex),
        "run",
        "--env",
        "prod",
        "--backend-host",
        "127.0.0.1",
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
        "--loglevel",
        "warning",
    ]


def up(*, with_demo: bool | None = None) -> int:
    settings = get_settings()
    external_database = settings.database_url is not None
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    services = start_embedded(settings.var_dir, database_url=settings.database_url, redis_url=settings.redis_url)
    children: list[_Restarting] = []
    try:
        assert services.database_url and services.redis_url
        env = child_environment(services.database_url, services.redis_url)
        os.environ.update(DAM_DATABASE_URL=services.database_url, DAM_REDIS_URL=services.redis_url)
        reset_settings_cache()
        print("applying database migrations ...", flush=True)
        upgrade_database()
        admin = ensure_admin(external_database=external_database)
        demo = settings.demo_data if with_demo is None else with_demo
        if demo is None:
            demo = not external_database
        if demo and not external_database:
            loader.ensure_demo_users()  # README passwords: never on a database that serves real users
        children.append(_Restarting("worker", [sys.executable, "-m", "dam_app.worker"], env))
        # alerts on their own: one is never queued behind a rendering
        children.append(_Restarting("alerts", [sys.executable, "-m", "dam_app.worker", "--alerts-only"], env))
        if missing := enqueue_missing():
            print(f"queued {missing} assets for search indexing", flush=True)
        if lacking := enqueue_missing_stages():  # a stage added by an upgrade (compliance) runs on old versions
            print(f"queued {lacking} versions for stages added since they were processed", flush=True)
        if demo:
            loaded = loader.load_demo_library()
            if loaded:
                print(f"loaded {loaded} demo files; the worker is processing them", flush=True)
        print("starting the web app (the first start builds the frontend, a minute or two) ...", flush=True)
        children.append(_Restarting("web", web_command(settings.port), env))
        url = settings.public_url or f"http://127.0.0.1:{settings.port}"
        print(f"\n  dam_app is starting at {url}\n  {_login_line(admin)}\n  Ctrl-C stops everything\n", flush=True)
        return _wait(children)
    finally:
        _stop_children([child.process for child in children])
        services.stop()


def _login_line(admin: AdminLogin) -> str:
    if admin.generated:
        return f"first admin: {admin.email} / {admin.password}  (shown once: keep it, then change it)"
    if admin.password is None:
        return f"admin: {admin.email} (password as set when the account was created)"
    return f"login: {admin.email} / {admin.password}"


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, start_new_session=True)


class _Restarting:
    """A child that is started again when it dies (a crashed worker must not stop processing, a
    killed web process must not take the site down), after a pause that doubles with each quick
    death, up to MAX_PAUSE_S. Never blocks the caller."""

    MAX_PAUSE_S = 60.0
    STABLE_S = 120.0  # alive this long: the next death is not counted as a crash loop

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name, self.command, self.env = name, command, env
        self.pause = 1.0
        self.restart_at: float | None = None
        self._start()

    def _start(self) -> None:
        _clear_stale_temp_files()  # what a killed predecessor was writing (an upload mid-way)
        self.process = _spawn(self.command, self.env)
        self.started = time.monotonic()
        print(f"{self.name} started (pid {self.process.pid})", flush=True)

    def check(self) -> None:
        """Notice a death and schedule the restart; start the child again once its pause is over."""
        if self.process.poll() is None:
            return
        now = time.monotonic()
        if self.restart_at is None:
            # What the dead process forked (RQ's scheduler, a work horse) would keep its locks and
            # take jobs it never runs: its whole process group goes with it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            if now - self.started > self.STABLE_S:
                self.pause = 1.0
            code = self.process.returncode
            print(f"{self.name} exited with {code}; restarting in {self.pause:.0f} s", flush=True)
            self.restart_at, self.pause = now + self.pause, min(self.MAX_PAUSE_S, self.pause * 2)
        elif now >= self.restart_at:
            self.restart_at = None
            self._start()


def _clear_stale_temp_files() -> None:
    try:
        sweep_stale(get_settings().tmp_dir)
    except OSError as exc:
        print(f"could not clear stale temp files: {exc}", flush=True)


def _wait(children: list[_Restarting]) -> int:
    stop = {"now": False}

    def _handle(_signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)
    while not stop["now"]:
        for child in children:
            child.check()
        time.sleep(0.5)
    print("\nstopping ...", flush=True)
    return 0


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
