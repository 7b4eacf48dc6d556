"""Embedded PostgreSQL and Redis for a benchmark: in a data folder kept between runs, migrated."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def embedded_servers(var_dir: Path) -> Iterator[None]:
    """Start the servers on `var_dir` (no demo data), upgrade the schema, stop them at the end."""
    os.environ.update(DAM_VAR_DIR=str(var_dir), DAM_DEMO_DATA="false")
    from dam_app.config import reset_settings_cache

    reset_settings_cache()
    import dam_app.models  # noqa: F401
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database

    services = ensure_services()
    try:
        upgrade_database()
        yield
    finally:
        from dam_app.db import dispose_engines

        dispose_engines()
        services.stop()
