"""The one Settings object; the only module that reads environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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

    demo_data: bool = True
    demo_password: str = "demo-admin-2026"

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
