"""`dam retag` as an operator runs it: the text is read again, the index follows, bad asks refused."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select

from dam_app.accounts.principal import system_principal
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.processing.models import JobRun
from dam_app.tagging.models import ImageText
from tests.cli.test_cli import _dam
from tests.conftest import ingest_path, wait_until_processed


def test_retag_reads_again_and_reindexes(services, worker, tmp_path) -> None:
    path = tmp_path / "offer.png"
    generate.offer_banner("40% OFF").save(path)
    result = ingest_path(system_principal(), path)
    assert wait_until_processed(result.asset_id) == "ready"
    with session_scope() as session:
        indexed_at = session.exec(
            select(JobRun.finished_at).where(JobRun.version_id == result.version_id, JobRun.stage == "index")
        ).one()
        session.execute(delete(ImageText).where(ImageText.version_id == result.version_id))

    done = _dam(services, "retag", str(result.asset_id), "--wait")
    assert done.returncode == 0, done.stderr
    assert "queued 1 assets for ocr, index, compliance" in done.stdout
    with session_scope() as session:
        row = session.get(ImageText, result.version_id)
        runs = {r.stage: r for r in session.exec(select(JobRun).where(JobRun.version_id == result.version_id))}
    assert row is not None and row.status == "read" and "40% OFF" in row.text
    assert runs["ocr"].status == "succeeded" and runs["ocr"].attempts == 1
    assert indexed_at is not None and runs["index"].finished_at is not None and runs["index"].finished_at > indexed_at
    assert runs["renditions"].attempts == 1  # only the chosen stage and those after it ran again


def test_retag_refuses_unclear_requests(services) -> None:
    neither = _dam(services, "retag")
    assert neither.returncode == 2 and "name assets by id, or pass --all" in neither.stderr
    unknown = _dam(services, "retag", "--all", "--stage", "colour-magic")
    assert unknown.returncode == 2 and "no such stage: colour-magic" in unknown.stderr
    bad_id = _dam(services, "retag", "not-an-id")
    assert bad_id.returncode == 2 and "no such asset" in bad_id.stderr
