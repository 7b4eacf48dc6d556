"""The one Settings object; the only module that reads environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
API_PREFIX = "/api/v1"  # where the REST API lives; the UI links to it too
DEMO_PASSWORD = "demo-admin-2026"  # printed in the README: only ever valid on an embedded database


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as DAM_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="DAM_", extra="ignore")

    # External servers. When unset, `dam up` starts embedded ones under var_dir.
    database_url: str | None = None
    redis_url: str | None = None

    var_dir: Path = PROJECT_ROOT / "var"
    port: int = 3000
    public_url: str | None = None

    max_upload_bytes: int = Field(default=2 * 1024**3, description="Largest single file accepted")
    max_image_pixels: int = Field(default=200_000_000, description="Decompression-bomb guard")
    thumbnail_px: int = 320
    preview_px: int = 1600
    clip_model_dir: Path | None = Field(
        default=None,
        description="A local CLIP model folder (Hugging Face format). When set, pictures and queries are also "
        "embedded with it, so words find pictures nobody tagged. Never downloaded.",
    )

    session_hours: int = 12
    secure_cookies: bool = False
    job_retries: int = 3
    job_retry_delays: list[int] = Field(default=[5, 30, 120], description="Seconds before each retry")
    queue_name: str = "dam"

    # Demo library and demo users: on by default with the embedded database, off against an external one.
    demo_data: bool | None = None
    admin_password: str | None = Field(
        default=None,
        description="Password of the first admin@dam.local. With the embedded database it defaults to the "
        "README's demo password; against an external database a random one is generated and printed once, "
        "and the demo password is refused.",
    )

    # Load guards of the web process (db.py applies them to its engine; jobs, migrations and the CLI
    # run without a statement timeout). How the pool is sized: an API request may hold a pooled
    # connection only while it holds an admission slot (api/admission.py): one of `web_threads` (also
    # the size of the thread pool of FastAPI's `def` routes) or, for uploads, one of `upload_slots`.
    # The UI's `asyncio.to_thread` executor has `ui_threads`, and one connection is the batch
    # writers' (last use, download counts). pool = web_threads + upload_slots + ui_threads + 1 per web
    # worker process, so nothing ever waits for a connection: 29 x 2 web workers, the RQ worker's 15
    # and a few CLI commands fit the embedded server's 200 connections (an external one needs as many).
    web_workers: int = Field(
        default=2,
        ge=1,
        le=16,
        description="Web server processes (one per core: Python runs one thread at a time per process); more "
        "than one keeps Reflex's state in Redis (another database number than the queue's)",
    )
    web_threads: int = Field(default=16, ge=1, le=200, description="Concurrent API requests doing blocking work")
    ui_threads: int = Field(default=8, ge=1, le=100, description="Threads for the UI's blocking handler work")
    upload_slots: int = Field(default=4, ge=1, le=50, description="Uploads processed at once; more wait their turn")
    queue_timeout_s: float = Field(default=10.0, gt=0, description="Longest wait for an admission slot before a 503")
    max_pending_requests: int = Field(
        default=64, ge=1, description="API requests in flight before the next one is refused with 503"
    )
    pool_timeout_s: float = Field(default=3.0, gt=0, description="Wait for a pooled connection before a 503")
    statement_timeout_ms: int = Field(default=10_000, ge=0, description="Interactive queries (web); 0: none")
    lock_timeout_ms: int = Field(default=3_000, ge=0, description="Interactive lock waits (web)")
    idle_in_transaction_timeout_ms: int = Field(default=120_000, ge=0, description="Web and batch alike")
    batch_lock_timeout_ms: int = Field(default=60_000, ge=0, description="Jobs, CLI, migrations")
    last_use_interval_s: int = Field(default=60, ge=1, description="Last use of a token/session recorded this often")

    # Alerts (dam_app/notify). Channel URLs hold tokens and passwords: they are encrypted with a key
    # derived from `alert_key`; unset, a random key is made once under var_dir (notify/secrets.py).
    alert_key: str | None = Field(default=None, description="Secret that encrypts alert channel URLs at rest")
    alert_send_threads: int = Field(default=8, ge=1, le=64, description="Alert channels sent to at once")
    alert_timeout_s: float = Field(default=10.0, gt=0, description="Connect and read timeout of one alert send")
    alert_retry_delays: list[int] = Field(
        default=[10, 60, 300, 900], description="Seconds before each new try of a failed alert; then it is failed"
    )

    @property
    def web_pool_size(self) -> int:
        return self.web_threads + self.upload_slots + self.ui_threads + 1

    @property
    def base_url(self) -> str:
        """Where links in alerts point: `public_url`, else this machine's port."""
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def blob_dir(self) -> Path:
        return self.var_dir / "blobs"

    @property
    def tmp_dir(self) -> Path:
        return self.var_dir / "tmp"

    @property
    def embedded_pg_dir(self) -> Path:
        return self.var_dir / "pg"

    @property
    def embedded_redis_dir(self) -> Path:
        return self.var_dir / "redis"

    def require_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError(
                "DAM_DATABASE_URL is not set: start the system with `dam up` (or `make run`), "
                "which starts the embedded PostgreSQL, or point DAM_DATABASE_URL at a server."
            )
        return self.database_url

    def require_redis_url(self) -> str:
        if not self.redis_url:
            raise RuntimeError(
                "DAM_REDIS_URL is not set: start the system with `dam up` (or `make run`), "
                "or point DAM_REDIS_URL at a Redis server."
            )
        return self.redis_url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Forget the cached Settings; tests and `dam up` call it after changing the environment."""
    get_settings.cache_clear()
