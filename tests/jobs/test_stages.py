"""The stage registry: one declaration per stage, its order, its queues, a hand-off between queues,
and `dam reindex` backfilling a stage a version lacks."""

from __future__ import annotations

import pytest
from sqlmodel import delete, select

from dam_app.assets import jobs as asset_jobs
from dam_app.assets import pipeline
from dam_app.db import session_scope
from dam_app.processing.models import JobRun, JobStatus
from dam_app.processing.service import processing_job_id
from dam_app.processing.stages import DEFAULT_QUEUE, Stage, StageInput, StageRegistry
from dam_app.stages import REGISTRY
from dam_app.worker import queues
from tests.conftest import ingest_path, session_worker_paused


def _noop(_job: StageInput) -> None:
    return None


def test_registry_orders_each_stage_after_the_one_it_follows() -> None:
    names: tuple[str, ...] = ("metadata", "media", "renditions", "visual", "proxy", "ocr", "index", "compliance")
    names += ("since-approved", "verdict", "pins")
    assert REGISTRY.names() == names
    follows = [None, "metadata", "media", "renditions", "visual", "visual", "ocr", "ocr", "ocr", "compliance"]
    follows += ["renditions"]
    assert [s.follows for s in REGISTRY.stages] == follows
    assert REGISTRY.queues() == (DEFAULT_QUEUE, "heavy")  # OCR runs on the heavy queue
    # A later domain adds one declaration; it runs after what it follows, ties in listing order.
    faces = Stage("faces", _noop, follows="renditions", queue="faces")
    extended = StageRegistry([*REGISTRY.stages, faces])
    assert extended.names() == (*REGISTRY.names(), "faces")
    assert StageRegistry([faces, *REGISTRY.stages]).names() == (
        "metadata",
        "media",
        "renditions",
        "faces",
        "visual",
        "proxy",
        "ocr",
        "index",
        "compliance",
        "since-approved",
        "verdict",
        "pins",
    )
    assert extended.queues() == (DEFAULT_QUEUE, "heavy", "faces")
    assert extended.get("faces") is not None and extended.get("nope") is None


def test_a_stage_runs_again_with_every_stage_after_it() -> None:
    later = ("index", "compliance", "since-approved", "verdict")
    assert REGISTRY.with_followers(["ocr"]) == ("ocr", *later)  # reading text again transcodes nothing
    assert REGISTRY.with_followers(["visual"]) == ("visual", "proxy", "ocr", *later)
    assert REGISTRY.with_followers(["index", "metadata"]) == REGISTRY.names()


def test_registry_refuses_unknown_predecessors_duplicates_and_circles() -> None:
    with pytest.raises(ValueError, match="no domain declares"):
        StageRegistry([Stage("a", _noop, follows="b")])
    with pytest.raises(ValueError, match="twice"):
        StageRegistry([Stage("a", _noop), Stage("a", _noop)])
    with pytest.raises(ValueError, match="circle"):
        StageRegistry([Stage("a", _noop, follows="b"), Stage("b", _noop, follows="a")])


def test_queue_names_keep_the_configured_namespace(services) -> None:
    assert queues.queue_name() == "dam" and queues.queue_name("heavy") == "dam:heavy"
    assert processing_job_id(pipeline.uuid.UUID(int=1)) == f"process-{pipeline.uuid.UUID(int=1)}"


def test_a_stage_on_another_queue_is_handed_off(services, admin, sample_files, monkeypatch) -> None:
    heavy = [Stage(s.name, s.run, s.follows, "heavy" if s.name == "visual" else s.queue) for s in REGISTRY.stages]
    monkeypatch.setattr(pipeline, "REGISTRY", StageRegistry(heavy))
    with session_worker_paused():
        result = ingest_path(admin, sample_files["jpeg"], markets=("JP",))
        queues.queue().empty()
        assert asset_jobs.process_version(str(result.version_id)) == "continues on heavy"
        assert queues.job_state(processing_job_id(result.version_id, "heavy"), "heavy") == "queued"
        assert queues.queue("heavy").count == 1
        with session_scope() as session:
            states = {r.stage: r.status for r in session.exec(select(JobRun)).all()}
        assert states == {
            "metadata": "succeeded",
            "media": "succeeded",
            "renditions": "succeeded",
            "visual": "queued",
            "ocr": "queued",
            "proxy": "queued",
            "index": "queued",
            "compliance": "queued",
            "since-approved": "queued",
            "verdict": "queued",
            "pins": "queued",
        }
        queues.queue("heavy").empty()
        # The heavy job runs visual, proxy and ocr, then hands "index" back to the default queue, which finishes.
        assert asset_jobs.process_version(str(result.version_id), "heavy") == "continues on default"
        assert queues.job_state(processing_job_id(result.version_id)) == "queued"
        queues.queue().empty()
        assert asset_jobs.process_version(str(result.version_id)) == "ready"


def test_reindex_backfills_a_stage_a_version_lacks(services, admin, sample_files) -> None:
    with session_worker_paused():
        result = ingest_path(admin, sample_files["jpeg"])
        with session_scope() as session:  # as if "index" had been registered after this upload
            session.exec(delete(JobRun).where(JobRun.stage == "index"))  # type: ignore[arg-type]
        queues.queue().empty()
        assert asset_jobs.enqueue_missing_stages() == 1
        assert asset_jobs.enqueue_missing_stages() == 0  # nothing left to backfill
        with session_scope() as session:
            run = session.exec(select(JobRun).where(JobRun.stage == "index")).one()
        assert (run.version_id, run.status) == (result.version_id, JobStatus.QUEUED)
        assert queues.job_state(processing_job_id(result.version_id)) == "queued"
        queues.queue().empty()
