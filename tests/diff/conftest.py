"""The comparison tests run the job themselves (`jobs.compute_diff`), except those with the real
worker: a job queued on commit would otherwise let the session's worker race the test."""

from __future__ import annotations

import pytest

from dam_app.diff import jobs


@pytest.fixture(autouse=True)
def computed_by_the_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    queued: list[str] = []
    if "worker" not in request.fixturenames:
        monkeypatch.setattr(jobs, "queue_compute", lambda diff_id: queued.append(str(diff_id)))
    return queued
