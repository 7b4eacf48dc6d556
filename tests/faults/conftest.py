"""Helpers for the fault tests: an API token, uploads, and what the blob store and tables hold."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import text


@pytest.fixture
def api_token(make_user) -> str:
    from dam_app.accounts import service as accounts
    from dam_app.db import session_scope

    user, _principal = make_user("admin", all_regions=True)
    with session_scope() as session:
        return accounts.issue_api_token(session=session, user_id=user.id, name="faults").token


def noise_png(size: int = 48) -> bytes:
    """A picture no other test has (random pixels), so an upload is never a duplicate."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return client.post("/api/v1/assets", data={"market": "NA"}, files={"files": (name, data, "image/png")})


def blob_files() -> set[str]:
    from dam_app.config import get_settings

    root = get_settings().blob_dir
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def unnamed_blobs(files: set[str]) -> set[str]:
    """Those of `files` that no row of the blobs table names."""
    from dam_app.db import session_scope

    with session_scope() as session:
        known = set(session.execute(text("SELECT sha256 FROM blobs")).scalars())
    return files - known


def assets_without_version() -> int:
    from dam_app.db import session_scope

    with session_scope() as session:
        return int(
            session.execute(
                text(
                    "SELECT count(*) FROM assets a WHERE a.current_version_id IS NULL"
                    " OR NOT EXISTS (SELECT 1 FROM versions v WHERE v.asset_id = a.id)"
                )
            ).scalar_one()
        )


def eventually(check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2) -> float:
    """Poll `check` until it holds; return how long it took, or fail saying `what` never happened."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s")


def log_tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""
