"""Comparisons over HTTP with the real worker computing them, and from the CLI."""

from __future__ import annotations

import time
import uuid

from fastapi.testclient import TestClient

from dam_app.db import session_scope
from dam_app.diff import service as diff_service
from tests import factories
from tests.cli.test_cli import _dam
from tests.diff.helpers import picture_version
from tests.diff.pictures import banner, recompressed


def _banner_versions(regions: tuple[str, ...] = ("JP",)) -> tuple[uuid.UUID, list[uuid.UUID], uuid.UUID]:
    with session_scope() as session:
        person = factories.user(session, role="editor", regions=regions).principal
        asset = factories.asset(session, markets=("JP",), index=False)
        ids = [picture_version(session, person, asset, p).id for p in (banner(), recompressed(banner("40% OFF"), 75))]
        assert person.user_id is not None
        return person.user_id, ids, asset.id


def test_the_worker_computes_a_requested_comparison(client: TestClient, worker) -> None:
    user_id, (a, b), _ = _banner_versions()
    headers = factories.bearer(user_id)
    asked = client.post("/api/v1/diffs", headers=headers, json={"a": str(a), "b": str(b)})
    assert asked.status_code == 202, asked.text
    diff = asked.json()
    deadline = time.monotonic() + 60
    while diff["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
        diff = client.get(f"/api/v1/diffs/{diff['id']}", headers=headers).json()
    assert diff["status"] == "done", diff
    assert len(diff["summary"]["pixels"]["regions"]) == 1 and set(diff["images"]) == {"heatmap", "aligned"}
    picture = client.get(diff["images"]["heatmap"], headers=headers)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert "no-store" in picture.headers["cache-control"]

    kept = client.post("/api/v1/diffs", headers=headers, json={"a": str(a), "b": str(b)})
    assert kept.status_code == 200 and kept.json()["id"] == diff["id"]


def test_refusals_over_http(client: TestClient, services: dict[str, str]) -> None:
    _, (a, b), _ = _banner_versions()
    with session_scope() as session:
        outsider = factories.user(session, role="editor", regions=("EU",)).principal.user_id
    headers = factories.bearer(outsider)
    assert client.post("/api/v1/diffs", headers=headers, json={"a": str(a), "b": str(b)}).status_code == 404
    same = client.post(
        "/api/v1/diffs", headers=factories.bearer(_banner_versions()[0]), json={"a": str(a), "b": str(a)}
    )
    assert same.status_code == 422 and "two different versions" in same.json()["detail"]
    assert client.get(f"/api/v1/diffs/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.post("/api/v1/diffs", json={"a": str(a), "b": str(b)}).status_code == 401


def test_too_many_comparisons_waiting_is_429_with_the_reason(
    client: TestClient, services: dict[str, str], monkeypatch
) -> None:
    monkeypatch.setattr(diff_service, "WAITING_PER_PERSON", 1)
    user_id, (a, b), _ = _banner_versions()
    headers = factories.bearer(user_id)
    assert client.post("/api/v1/diffs", headers=headers, json={"a": str(a), "b": str(b)}).status_code == 202
    refused = client.post("/api/v1/diffs", headers=headers, json={"a": str(b), "b": str(a)})
    assert refused.status_code == 429 and "you have 1 comparison still being computed" in refused.json()["detail"]


def test_the_cli_compares_two_labels(services: dict[str, str]) -> None:
    _, _, asset_id = _banner_versions()
    result = _dam(services, "version", "compare", str(asset_id), "v1.1", "v1.2", "--here")
    assert result.returncode == 0, result.stderr
    assert "v1.1 -> v1.2: 1 changed region(s)" in result.stdout and "aligned by same framing" in result.stdout
    missing = _dam(services, "version", "compare", str(asset_id), "v1.1", "v9.9", "--here")
    assert missing.returncode == 2 and "not compared: no such version" in missing.stderr
