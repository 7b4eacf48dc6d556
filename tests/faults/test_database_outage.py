"""PostgreSQL stops and starts again under a running web process and worker (no restart of either).

While it is down every API call that needs it answers at once with 503, "database unavailable" and
Retry-After (never a hang, never a 500); an upload is refused and leaves no bytes behind; a job that
ran into the outage is retried or swept up later. Once it is back, requests succeed within seconds
and new uploads are processed.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import WebProcess, WorkerProcess, session_worker_paused, wait_until_processed
from tests.faults.conftest import (
    assets_without_version,
    blob_files,
    eventually,
    log_tail,
    noise_png,
    unnamed_blobs,
    upload,
)

FAST_S = 5.0  # "fails fast": an answer within this, not a client timeout


@pytest.fixture
def running(services: dict[str, str]) -> Iterator[tuple[WebProcess, WorkerProcess]]:
    with session_worker_paused():
        worker = WorkerProcess(services, ["--sweep-every", "1"])
        worker.start()
        web = WebProcess(services)
        try:
            web.start()
            yield web, worker
        finally:
            web.stop()
            worker.stop()


def test_database_outage_answers_503_fast_refuses_uploads_and_recovers(embedded, running, api_token, make_user) -> None:
    from dam_app.assets.classify import Classification
    from dam_app.assets.ingest import IngestFields, ingest_file
    from dam_app.catalog import service as catalog_service
    from dam_app.db import session_scope
    from dam_app.processing.service import processing_job_id
    from dam_app.worker import queues

    web, worker = running
    assert worker.proc is not None
    client = httpx.Client(base_url=web.base, headers={"Authorization": f"Bearer {api_token}"}, timeout=30)
    assert client.get("/api/v1/assets").status_code == 200
    _, principal = make_user("editor", regions=["NA"])
    with session_scope() as session:
        lexicon = catalog_service.lexicon(session=session)

    # A job waits in the queue when the database goes away: the worker is frozen until then.
    os.killpg(worker.proc.pid, signal.SIGSTOP)
    try:
        answer = upload(client, "before-outage.png", noise_png())
        assert answer.status_code == 207 and answer.json()[0]["outcome"] == "imported", answer.text
    finally:
        embedded.stop_postgres()
        os.killpg(worker.proc.pid, signal.SIGCONT)
    waiting = uuid.UUID(answer.json()[0]["asset_id"])
    waiting_version = uuid.UUID(answer.json()[0]["version_id"])
    blobs_before = blob_files()
    try:
        for method, path, kwargs in _calls(waiting, waiting_version):
            started = time.monotonic()
            response = client.request(method, path, **kwargs)
            took = time.monotonic() - started
            assert response.status_code == 503, f"{method} {path}: {response.status_code} {response.text}"
            assert "database unavailable" in response.json()["detail"], f"{method} {path}: {response.text}"
            assert int(response.headers["Retry-After"]) > 0, f"{method} {path}"
            assert took < FAST_S, f"{method} {path} took {took:.1f} s"
        assert client.get("/api/v1/health").status_code == 200  # the process itself is fine

        # The database goes away between storing the bytes and writing the rows: the bytes go too.
        refused = Path(web.env["DAM_VAR_DIR"]) / "refused.png"
        refused.write_bytes(noise_png())
        with pytest.raises(OperationalError), session_scope() as session:
            ingest_file(
                session=session,
                principal=principal,
                path=refused,
                filename="refused.png",
                fields=IngestFields(classification=Classification(markets=["NA"])),
                lexicon=lexicon,
            )
        assert blob_files() == blobs_before, "an upload refused by the database left its bytes in the store"

        # The frozen job ran into the outage; RQ retried it and gave up, the rows still say queued.
        eventually(
            lambda: queues.job_state(processing_job_id(waiting_version)) == "failed",
            timeout=20,
            what="the job that met the outage to fail in RQ",
        )
    finally:
        embedded.start_postgres()

    took = eventually(lambda: _ok(client, "/api/v1/assets"), timeout=10, what="the API to answer again")
    assert took < 10
    assert worker.proc.poll() is None and web.proc is not None and web.proc.poll() is None  # nothing restarted
    fresh = upload(client, "after-outage.png", noise_png())
    assert fresh.status_code == 207 and fresh.json()[0]["outcome"] == "imported", fresh.text
    fresh_id = uuid.UUID(fresh.json()[0]["asset_id"])
    assert wait_until_processed(fresh_id, timeout=60) == "ready", log_tail(worker.log_path)
    # The job that failed during the outage is queued again by the sweeper and finishes.
    assert wait_until_processed(waiting, timeout=60) == "ready", log_tail(worker.log_path)
    assert unnamed_blobs(blob_files() - blobs_before) == set()
    assert assets_without_version() == 0


def _calls(asset_id: uuid.UUID, version_id: uuid.UUID) -> list[tuple[str, str, dict[str, Any]]]:
    png = noise_png()
    return [
        ("GET", "/api/v1/assets", {}),
        ("GET", f"/api/v1/assets/{asset_id}", {}),
        ("GET", f"/api/v1/assets/{asset_id}/versions", {}),
        ("GET", "/api/v1/search", {"params": {"q": "red banner Japan latest"}}),
        ("GET", f"/api/v1/assets/{asset_id}/similar", {}),
        ("GET", "/api/v1/duplicates", {}),
        ("GET", "/api/v1/catalog", {}),
        ("GET", f"/api/v1/versions/{version_id}/file", {}),
        ("GET", f"/api/v1/assets/{asset_id}/approvals", {}),
        ("GET", "/api/v1/auth/me", {}),
        ("PATCH", f"/api/v1/assets/{asset_id}", {"json": {"title": "renamed during the outage"}}),
        ("POST", f"/api/v1/assets/{asset_id}/approvals", {"json": {"market": "NA", "decision": "approved"}}),
        ("POST", "/api/v1/assets", {"data": {"market": "NA"}, "files": {"files": ("during.png", png, "image/png")}}),
        ("POST", f"/api/v1/assets/{asset_id}/versions", {"files": {"file": ("v2.png", png, "image/png")}}),
        ("POST", "/api/v1/search/image", {"files": {"file": ("look.png", png, "image/png")}}),
        ("POST", "/api/v1/auth/login", {"json": {"email": "someone@example.com", "password": "whatever-it-is"}}),
        ("POST", "/api/v1/auth/exchange", {"json": {"code": "a-code-from-the-login-page"}}),
        ("POST", "/api/v1/auth/tokens", {"json": {"name": "during the outage"}}),
        ("GET", f"/api/v1/renditions/{uuid.uuid4()}", {}),
        ("GET", "/api/v1/admin/lockouts", {}),
    ]


def _ok(client: httpx.Client, path: str) -> bool:
    try:
        return client.get(path).status_code == 200
    except httpx.HTTPError:
        return False
