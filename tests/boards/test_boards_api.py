"""Boards over HTTP: create, add, move with the revision seen, the 409 that says where the card is
now, history, and who may see a board."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi.testclient import TestClient

from dam_app.db import session_scope
from tests import factories


def _auth(regions: tuple[str, ...], role: str = "editor") -> dict[str, str]:
    with session_scope() as session:
        user_id = factories.user(session, role=role, regions=regions, display_name="Mei").principal.user_id
    return factories.bearer(user_id)


def test_a_board_over_http(client: TestClient, services: dict[str, str]) -> None:
    shanghai, los_angeles, europe = _auth(("CN", "NA")), _auth(("CN", "NA")), _auth(("EU",))
    made = client.post(
        "/api/v1/boards",
        headers=shanghai,
        json={
            "campaign": f"Double Eleven {uuid.uuid4().hex[:6]}",
            "markets": ["CN", "NA"],
            "time_zone": "Asia/Shanghai",
            "columns": [{"phase": "peak", "starts_on": "2026-11-01", "ends_on": "2026-11-11", "soft_limit": 1}],
        },
    )
    assert made.status_code == 201, made.text
    board = made.json()
    assert [c["phase"] for c in board["columns"]] == ["warm-up", "peak", "encore"]
    url = f"/api/v1/boards/{board['id']}"
    cards = [
        client.post(f"{url}/cards", headers=shanghai, json={"title": t, "phase": "peak", "formats": ["9:16"]}).json()
        for t in ("teaser", "hero")
    ]
    assert [c["revision"] for c in cards] == [1, 1]
    shown = client.get(url, headers=los_angeles).json()
    assert [c["title"] for c in shown["cards"]] == ["teaser", "hero"]
    assert shown["columns"][1]["count"] == 2 and shown["columns"][1]["over_soft_limit"] is True

    move = {"phase": "peak", "status": "in_review", "after": None, "expected_revision": 1}
    first = client.post(f"/api/v1/cards/{cards[0]['id']}/move", headers=shanghai, json=move)
    assert first.status_code == 200 and first.json()["revision"] == 2
    late = client.post(f"/api/v1/cards/{cards[0]['id']}/move", headers=los_angeles, json={**move, "status": "live"})
    assert late.status_code == 409
    assert "Mei changed this card" in late.json()["detail"] and late.json()["card"]["status"] == "in_review"
    history = client.get(f"/api/v1/cards/{cards[0]['id']}/history", headers=los_angeles).json()
    assert [h["action"] for h in history] == ["created", "moved"]

    assert client.get(url, headers=europe).status_code == 404
    assert board["id"] not in [b["id"] for b in client.get("/api/v1/boards", headers=europe).json()]
    bad = client.post(f"{url}/cards", headers=shanghai, json={"title": "x", "phase": "peak", "formats": ["2:3"]})
    assert bad.status_code == 422 and "unknown format" in bad.json()["detail"]
    viewer = _auth(("CN",), role="viewer")
    assert client.post(f"{url}/cards", headers=viewer, json={"title": "x", "phase": "peak"}).status_code == 403


def test_a_board_exports_as_csv_that_spreadsheets_open_safely(client: TestClient, services: dict[str, str]) -> None:
    import csv
    import io

    from tests.cli.test_cli import _dam

    shanghai, china_only, europe = _auth(("CN", "AE")), _auth(("CN",)), _auth(("EU",))
    campaign = f"Ramadan x Double Eleven {uuid.uuid4().hex[:6]}"
    board = client.post(
        "/api/v1/boards",
        headers=shanghai,
        json={"campaign": campaign, "markets": ["CN", "AE"], "time_zone": "Asia/Dubai"},
    ).json()
    url = f"/api/v1/boards/{board['id']}"
    long_brief = "灯笼 " * 3300  # about 10,000 characters
    for card in (
        {"title": "[bold]Live[/x] teaser", "phase": "warm-up"},  # moved on to "live" below
        {"title": "Hero 🏮 banner", "phase": "warm-up", "brief": long_brief, "formats": ["1.91:1", "9:16"]},
        {"title": "تخفيضات رمضان", "phase": "peak", "markets": ["AE"], "due_at": "2027-11-10T10:00:00Z"},
        {"title": '=HYPERLINK("http://evil.example","click")', "phase": "encore"},
    ):
        assert client.post(f"{url}/cards", headers=shanghai, json=card).status_code == 201
    teaser = next(c for c in client.get(url, headers=shanghai).json()["cards"] if "teaser" in c["title"])
    move = {"phase": "warm-up", "status": "live", "after": None, "expected_revision": teaser["revision"]}
    assert client.post(f"/api/v1/cards/{teaser['id']}/move", headers=shanghai, json=move).status_code == 200

    got = client.get(f"{url}/export.csv", headers=shanghai)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    text = got.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8: emoji and Arabic survive
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["phase", "status", "title"]
    assert [r[2] for r in rows[1:]] == [  # board order: phase, then requested before live, then place
        "Hero 🏮 banner",
        "[bold]Live[/x] teaser",
        "تخفيضات رمضان",
        '\'=HYPERLINK("http://evil.example","click")',
    ]
    assert rows[1][10] == long_brief and rows[1][5] == "1.91:1 9:16" and rows[2][1] == "live"
    assert rows[3][8:10] == ["2027-11-10 10:00", "2027-11-10 14:00 Asia/Dubai"]  # UTC and the board's own time
    only_china = list(csv.reader(io.StringIO(client.get(f"{url}/export.csv", headers=china_only).text)))
    assert "تخفيضات رمضان" not in {r[2] for r in only_china}  # a card of a market one does not work in
    assert client.get(f"{url}/export.csv", headers=europe).status_code == 404

    printed = _dam(services, "board", "export", campaign, "--csv")
    assert printed.returncode == 0, printed.stderr
    same = text.removeprefix("\ufeff").replace("\r\n", "\n")  # (the helper reads the output as text lines)
    assert printed.stdout.removeprefix("\ufeff").replace("\r\n", "\n") == same  # the operator sees every card
    written = Path(services["DAM_VAR_DIR"]) / f"board-{uuid.uuid4().hex[:6]}.txt"
    table = _dam(services, "board", "export", campaign.upper(), "--out", str(written))  # by name, any case
    assert table.returncode == 0, table.stderr
    assert "4 cards" in written.read_text() and "[bold]Live[/x] teaser" in written.read_text()  # never markup
    missing = _dam(services, "board", "export", "no such campaign")
    assert missing.returncode == 2 and "no such board" in missing.stderr
