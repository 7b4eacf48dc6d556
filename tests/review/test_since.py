"""What changed since a market approved: a banner carrying a Chinese and a Japanese line, approved in
CN and JP, gets a new version whose Japanese line was redone; the comparison (the compare view's own,
computed by its job) tells CN its area is unchanged and JP that it changed. The judgement on made-up
comparisons covers the other answers: a change outside the text, no change, a copy document, a
comparison still running or failed, a video."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from dam_app.assets.models import Asset, Version
from dam_app.db import session_scope
from dam_app.demo.generate import bilingual_banner
from dam_app.diff import jobs as diff_jobs
from dam_app.diff.models import DiffStatus, VersionDiff
from dam_app.review import service as review_service
from dam_app.review import since
from tests import factories
from tests.diff.helpers import picture_version

_banner = bilingual_banner


def _decide(session: Session, principal, asset_id: uuid.UUID, market: str, *stages: str) -> None:
    for stage in stages:
        review_service.record_decision(
            session=session, principal=principal, asset_id=asset_id, market=market, stage=stage, decision="approved"
        )


def _answers(asset_id: uuid.UUID, principal) -> dict[str, tuple[str, str]]:
    with session_scope() as session:
        found = review_service.since_approved(session=session, principal=principal, asset_id=asset_id)
    return {c.market: (c.state, c.text) for c in found}


def test_a_redone_japanese_line_leaves_cn_unchanged_and_jp_changed(
    services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[str] = []
    monkeypatch.setattr(diff_jobs, "queue_compute", lambda diff_id: queued.append(str(diff_id)))
    with session_scope() as session:
        admin = factories.admin(session)
        asset = factories.asset(session, markets=("CN", "JP"), index=False)
        picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデー限定"))
        _decide(session, admin, asset.id, "CN", "legal", "market")
        _decide(session, admin, asset.id, "JP", "legal")
        v2 = picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデーセール"))
        assert since.request_comparisons(session, v2) == 1  # CN and JP approved the same version
        asset_id, v2_label = asset.id, v2.label
    _, cn_reviewer = factories_user("reviewer", ["CN"])
    assert _answers(asset_id, admin) == {
        "CN": ("comparing", f"{v2_label} is being compared with v1.1, which CN approved at legal and market review; "
               "the result shows here."),
        "JP": ("comparing", f"{v2_label} is being compared with v1.1, which JP approved at legal review; "
               "the result shows here."),
    }  # fmt: skip
    (diff_id,) = queued
    diff_jobs.compute_diff(diff_id)

    answers = _answers(asset_id, admin)
    assert answers["CN"][0] == "unchanged", answers
    assert "in text written in Japanese" in answers["CN"][1] and answers["CN"][1].endswith("the decision is yours.")
    assert answers["JP"] == ("changed", "Changed since v1.1, which JP approved at legal review: 1 changed place in "
                             "what this market reads."), answers  # fmt: skip
    assert set(_answers(asset_id, cn_reviewer)) == {"CN"}  # a reviewer hears of their own markets only
    with session_scope() as session:  # once CN has decided every stage it requires, its hint has done its work
        _decide(session, admin, asset_id, "CN", "legal", "market")
    assert set(_answers(asset_id, admin)) == {"JP"}

    with session_scope() as session:  # then the product's colour changes too: in every market's area
        asset = session.get_one(Asset, asset_id)
        v3 = picture_version(
            session, admin, asset, _banner("双十一限时特惠", "ブラックフライデーセール", product=(200, 40, 60))
        )
        since.request_comparisons(session, v3)
    assert len(queued) == 3  # CN now compares from v1.2, which it approved last; JP still from v1.1
    for diff_id in queued[1:]:
        diff_jobs.compute_diff(diff_id)
    assert {m: state for m, (state, _) in _answers(asset_id, admin).items()} == {"CN": "changed", "JP": "changed"}


def factories_user(role: str, regions: list[str]):
    with session_scope() as session:
        return factories.user(session, role=role, regions=regions)


def _diff(summary: dict, status: str = DiffStatus.DONE, error: str | None = None) -> VersionDiff:
    return VersionDiff(version_a=uuid.uuid4(), version_b=uuid.uuid4(), status=status, summary=summary, error=error)


PICTURE: dict[str, Any] = {"a": {"width": 1200, "height": 628}, "words_from": "picture"}
LINES: list[dict[str, Any]] = [
    {"text": "双十一限时特惠", "box": [60 / 1200, 120 / 628, 560 / 1200, 70 / 628]},
    {"text": "ブラックフライデー限定", "box": [60 / 1200, 380 / 628, 640 / 1200, 70 / 628]},
    {"text": "Black Friday 40% OFF", "box": [60 / 1200, 500 / 628, 500 / 1200, 60 / 628]},
]


def _version() -> Version:
    current = Version(asset_id=uuid.uuid4(), blob_sha256="x", original_filename="b.png", mime="image/png", size=1)
    current.major, current.minor = 1, 2
    return current


def _judge(summary: dict, market_languages: list[str], **kwargs) -> tuple[str, str]:
    return since._judged(_diff(summary, **kwargs), LINES, since.systems_of(market_languages), _version())


def _region(x: int, y: int, w: int, h: int) -> dict:
    return {"x": x, "y": y, "width": w, "height": h, "changed": 0.01}


def test_each_answer_and_when_in_doubt_it_says_changed() -> None:
    in_japanese = PICTURE | {"pixels": {"regions": [_region(400, 390, 200, 50)]}}
    assert _judge(in_japanese, ["zh"])[0] == "unchanged"
    assert _judge(in_japanese, ["ja"])[0] == "changed"
    assert _judge(in_japanese, ["en", "es"])[0] == "unchanged"  # a Latin market reads neither line
    in_chinese = PICTURE | {"pixels": {"regions": [_region(100, 130, 200, 50)]}}
    assert _judge(in_chinese, ["ja"])[0] == "changed"  # kanji are read in Japan: never "unchanged" there
    in_latin = PICTURE | {"pixels": {"regions": [_region(100, 505, 200, 40)]}}
    assert [_judge(in_latin, [lang])[0] for lang in ("zh", "ja", "en")] == ["unchanged", "unchanged", "changed"]
    outside = PICTURE | {"pixels": {"regions": [_region(900, 200, 200, 250), _region(400, 390, 200, 50)]}}
    assert _judge(outside, ["zh"]) == ("changed", "Changed since {since}: 1 changed place in what this market reads.")
    astride = PICTURE | {"pixels": {"regions": [_region(400, 300, 200, 150)]}}  # mostly outside the line
    assert _judge(astride, ["zh"])[0] == "changed"
    nothing = PICTURE | {"pixels": {"regions": []}}
    assert _judge(nothing, ["ja"]) == ("unchanged", "No visible change since {since}; the decision is yours.")
    assert _judge(PICTURE | {"same_bytes": True}, ["ja"])[0] == "unchanged"

    copy = {"words_from": "copy", "pixels": {}, "words": {"segments": [["same", "x"], ["added", "限定セール"]]}}
    assert _judge(copy, ["zh"])[0] == "unchanged" and _judge(copy, ["ja"])[0] == "changed"
    digits = {"words_from": "copy", "pixels": {}, "words": {"segments": [["removed", "30"], ["added", "40"]]}}
    assert _judge(digits, ["zh"])[0] == "changed"  # a number is everyone's

    replaced = {**PICTURE, "pixels": {"regions": [_region(100, 130, 200, 50)]}}  # a Chinese line became Japanese
    new_line = {"text": "ブラックフライデー特価", "box": LINES[0]["box"]}
    assert since._judged(_diff(replaced), [*LINES, new_line], since.systems_of(["zh"]), _version())[0] == "changed"
    assert _judge(in_japanese, [])[0] == "changed"  # a market naming no language (GLOBAL) reads every line
    assert since.systems_in("双十一の特惠") == {"chinese", "japanese"}  # one の does not make it Japanese only
    assert since.systems_in("ブラックフライデー限定") == {"japanese"}
    reframed = in_japanese | {"pixels": {"regions": [_region(400, 390, 200, 50)], "coverage": 0.7}}
    assert _judge(reframed, ["zh"])[0] == "not_compared"  # a crop or an extension: cannot vouch for the rest
    assert _judge({}, ["zh"], status=DiffStatus.RUNNING)[0] == "comparing"
    failed = _judge({}, ["zh"], status=DiffStatus.FAILED, error="v1.1 has no preview")
    assert failed == (
        "not_compared",
        "v1.2 could not be compared with {since} (v1.1 has no preview): review it in full.",
    )
    assert _judge(PICTURE | {"video": {"keyframes_a": 3}}, ["zh"])[0] == "not_compared"


def test_the_api_and_the_cli_say_the_same(client: TestClient, services: dict[str, str]) -> None:
    with session_scope() as session:
        admin = factories.admin(session)
        asset = factories.asset(session, markets=("CN",), index=False)
        picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデー限定"))
        _decide(session, admin, asset.id, "CN", "legal", "market")
        picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデーセール"))
        asset_id, admin_id = asset.id, admin.user_id
    _, outsider = factories_user("reviewer", ["NA"])
    url = f"/api/v1/assets/{asset_id}/since-approved"
    (answer,) = client.get(url, headers=factories.bearer(admin_id)).json()
    assert (answer["market"], answer["since"], answer["stages"]) == ("CN", "v1.1", ["legal", "market"])
    assert answer["state"] == "not_compared"  # no comparison asked for yet (the stage did not run here)
    assert client.get(url, headers=factories.bearer(outsider.user_id)).status_code == 404
    assert client.get("/api/v1/assets/not-an-id/since-approved", headers=factories.bearer(admin_id)).status_code == 422

    from typer.testing import CliRunner

    from dam_app.cli import app

    result = CliRunner().invoke(app, ["since-approved", str(asset_id)])
    assert (
        result.exit_code == 0 and "CN      not_compared" in result.output and "v1.1, which CN approved" in result.output
    )
