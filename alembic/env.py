"""Alembic runs against the URL in Settings; the schema is SQLModel.metadata of dam_app.models."""

from __future__ import annotations

from logging.config import fileConfig

from sqlmodel import SQLModel

import dam_app.models  # noqa: F401  (registers every table)
from alembic import context
from dam_app.db import get_engine

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
