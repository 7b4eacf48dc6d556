"""A card over HTTP: read whole, edit with the revision seen (409 with who changed it), tick a step,
attach a library asset, suggestions, the board's coverage matrix, delete; and who may do what."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dam_app.db import session_scope
from tests import factories
from tests.boards.test_boards_api import _auth
from tests.cli.test_cli import _dam


def test_a_card_over_http(client: TestClient, services: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the CLI's tables, unwrapped
    shanghai, europe = _auth(("CN", "JP")), _auth(("EU",))
    word = f"kirin{uuid.uuid4().hex[:6]}"
    with session_scope() as session:
        asset = factories.asset(session, title=f"{word} lantern", markets=("JP",))
        asset_id = str(asset.id)
        poster = factories.asset(session, title=f"{word} poster", markets=("JP",))
    board = client.post(
        "/api/v1/boards", headers=shanghai, json={"campaign": f"Singles Day {word}", "markets": ["CN", "JP"]}
    ).json()
    card = client.post(
        f"/api/v1/boards/{board['id']}/cards", headers=shanghai, json={"title": f"{word} banner", "phase": "peak"}
    ).json()
    url = f"/api/v1/cards/{card['id']}"
    board_url = f"/api/v1/boards/{board['id']}"
    assert [c["id"] for c in client.get(board_url, headers=shanghai, params={"mine": True}).json()["cards"]] == [
        card["id"]
    ]
    assert client.get(board_url, headers=shanghai, params={"market": "KR"}).json()["cards"] == []
    assert client.get(board_url, headers=shanghai, params={"overdue": True}).json()["cards"] == []

    read = client.get(url, headers=shanghai).json()
    assert [s["label"] for s in read["checklist"]][:2] == ["collection", "translation"]
    needs = {(n["kind"], n["value"], n["state"]) for n in read["needs"]}
    assert needs == {("market", "CN", "gap"), ("market", "JP", "gap")}

    edited = client.patch(url, headers=shanghai, json={"expected_revision": 1, "brief": "lanterns", "formats": ["1:1"]})
    assert edited.status_code == 200 and edited.json()["card"]["revision"] == 2
    stale = client.patch(url, headers=shanghai, json={"expected_revision": 1, "title": "mine"})
    assert stale.status_code == 409 and stale.json()["card"]["revision"] == 2
    assert "Mei changed this card" in stale.json()["detail"]
    assert client.patch(url, headers=shanghai, json={"expected_revision": 2, "formats": ["2:3"]}).status_code == 422
    assert client.patch(url, headers=shanghai, json={"expected_revision": 2, "title": None}).status_code == 422

    step = read["checklist"][0]["id"]
    ticked = client.patch(f"/api/v1/checklist-items/{step}", headers=shanghai, json={"done": True})
    assert ticked.status_code == 200 and ticked.json()["done_at"] is not None
    assert client.patch(f"/api/v1/checklist-items/{step}", headers=europe, json={"done": False}).status_code == 404

    found = client.get(f"{url}/suggestions", headers=shanghai).json()
    assert asset_id in [f["asset"]["id"] for f in found[:2]]  # both assets carry the card's word
    attached = client.post(f"{url}/assets", headers=shanghai, json={"asset_id": asset_id})
    assert attached.status_code == 201 and attached.json()["attached"][0]["reused"] is True
    assert ("market", "JP", "covered") in {(n["kind"], n["value"], n["state"]) for n in attached.json()["needs"]}
    assert client.post(f"{url}/assets", headers=europe, json={"asset_id": asset_id}).status_code == 404

    matrix = client.get(f"/api/v1/boards/{board['id']}/coverage", headers=shanghai).json()
    cells = {(c["market"], c["phase"]): c for c in matrix["cells"]}
    assert cells[("JP", "peak")]["state"] == "covered" and cells[("CN", "peak")]["state"] == "gap"
    assert cells[("CN", "peak")]["cards"] == [card["id"]] and (matrix["requests"], matrix["reused"]) == (1, 1)

    said = client.post(f"{url}/comments", headers=shanghai, json={"body": "Use the lantern shot from last year"})
    assert said.status_code == 201 and said.json()["body"] == "Use the lantern shot from last year"
    assert client.post(f"{url}/comments", headers=shanghai, json={"body": "   "}).status_code == 422
    assert client.post(f"{url}/comments", headers=shanghai, json={"body": "@nobody-here look"}).status_code == 422
    assert client.post(f"{url}/comments", headers=europe, json={"body": "hi"}).status_code == 404
    assert [c["body"] for c in client.get(f"{url}/comments", headers=shanghai).json()] == [said.json()["body"]]
    shown = _dam(services, "board", "coverage", f"Singles Day {word}")
    assert shown.returncode == 0 and "1 requests, 1 fulfilled by reuse" in shown.stdout, shown.stderr
    assert "covered (1)" in shown.stdout and "gap (1)" in shown.stdout
    suggested = _dam(services, "board", "suggest", card["id"])
    assert suggested.returncode == 0 and f"{word} poster" in suggested.stdout and asset_id not in suggested.stdout
    assert str(poster.id) in suggested.stdout
    refused = _dam(services, "board", "attach", "not-a-card", asset_id)
    assert refused.returncode != 0 and "no such card" in refused.stderr

    assert client.delete(f"{url}/assets/{asset_id}", headers=shanghai).status_code == 204
    assert client.delete(f"{url}/assets/{asset_id}", headers=shanghai).status_code == 404
    assert client.delete(url, headers=shanghai, params={"expected_revision": 1}).status_code == 409
    assert client.delete(url, headers=europe, params={"expected_revision": 2}).status_code == 404
    assert client.delete(url, headers=shanghai, params={"expected_revision": 2}).status_code == 204
    assert client.get(url, headers=shanghai).status_code == 404
    move = {"phase": "encore", "status": "requested", "after": None, "expected_revision": 2}
    gone = client.post(f"{url}/move", headers=shanghai, json=move)
    assert gone.status_code == 404 and "may have been deleted" in gone.json()["detail"]


def test_a_file_uploaded_onto_a_card_is_classified_from_it_and_attached(
    client: TestClient, services: dict[str, str], tmp_path: Path
) -> None:
    from dam_app.demo import generate

    shanghai = _auth(("CN",))
    board = client.post(
        "/api/v1/boards",
        headers=shanghai,
        json={"campaign": f"Double Twelve {uuid.uuid4().hex[:6]}", "markets": ["CN"]},
    ).json()
    card = client.post(
        f"/api/v1/boards/{board['id']}/cards", headers=shanghai, json={"title": "PDP image", "phase": "encore"}
    ).json()
    url = f"/api/v1/cards/{card['id']}"
    picture = tmp_path / f"pdp-{uuid.uuid4().hex[:6]}.png"
    generate.banner(picture, "zh", (200, 40, 40))
    made = client.post(
        f"{url}/upload", headers=shanghai, files={"file": (picture.name, picture.read_bytes(), "image/png")}
    )
    assert made.status_code == 201, made.text
    asset = client.get(f"/api/v1/assets/{made.json()['asset_id']}", headers=shanghai).json()
    assert (asset["markets"], asset["campaign"], asset["phase"]) == (["CN"], board["campaign"], "encore")
    attached = client.get(url, headers=shanghai).json()["attached"]
    assert [(a["asset"]["id"], a["reused"]) for a in attached] == [(made.json()["asset_id"], False)]  # made for it

    again = client.post(
        f"{url}/upload", headers=shanghai, files={"file": ("copy.png", picture.read_bytes(), "image/png")}
    )
    assert again.status_code == 200 and "duplicate" in again.json()["message"]  # attached once, as it is
    assert len(client.get(url, headers=shanghai).json()["attached"]) == 1
    bad = client.post(
        f"{url}/upload", headers=shanghai, files={"file": ("cut.png", picture.read_bytes()[:200], "image/png")}
    )
    assert (
        bad.status_code == 422
        and "cut.png" not in str(client.get(url, headers=shanghai).json())
        and len(client.get(url, headers=shanghai).json()["attached"]) == 1
    )
