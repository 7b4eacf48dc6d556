"""Apply Alembic migrations: an explicit start-up step, never run on import."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from dam_app.config import PROJECT_ROOT


def alembic_config() -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.attributes["skip_logging"] = True
    return cfg


def upgrade_database(revision: str = "head") -> None:
    command.upgrade(alembic_config(), revision)
