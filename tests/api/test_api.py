"""The REST API in-process (FastAPI TestClient) on the real database."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dam_app.accounts import service as accounts
from dam_app.db import session_scope
from dam_app.stages import REGISTRY


def _token(user_id) -> str:
    with session_scope() as session:
        return accounts.issue_api_token(session=session, user_id=user_id, name="test").token


def test_requires_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/assets")
    assert response.status_code == 401 and "not signed in" in response.json()["detail"]
    assert client.get("/api/v1/assets", headers={"Authorization": "Bearer dam_forged"}).status_code == 401


def test_login_cookie_then_upload_list_detail_download(client: TestClient, make_user, sample_files) -> None:
    make_user("editor", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        from sqlmodel import select

        from dam_app.accounts.models import User

        email = session.exec(select(User.email)).first()
    assert client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-password!"}).status_code == 401
    response = client.post("/api/v1/auth/login", json={"email": email, "password": "correct-horse-battery"})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    files = [
        ("files", ("shoe.jpg", sample_files["jpeg"].read_bytes(), "image/jpeg")),
        ("files", ("../../evil.png", b"\x7fELF" + b"\0" * 100, "image/png")),
        ("files", ("copy.jpg", sample_files["jpeg"].read_bytes(), "image/jpeg")),
    ]
    response = client.post("/api/v1/assets", files=files, data={"phase": "peak", "content_type": "banner"})
    assert response.status_code == 207
    results = response.json()
    assert [r["outcome"] for r in results] == ["imported", "failed", "duplicate"]
    assert results[1]["filename"] == "evil.png" and results[1]["reason"] == "unsupported_type"
    listing = client.get("/api/v1/assets", params={"phase": "peak"}).json()
    assert listing["total"] == 1 and listing["items"][0]["markets"] == ["NA"]
    detail = client.get(f"/api/v1/assets/{results[0]['asset_id']}").json()
    assert detail["current_version"]["label"] == "v1.0"
    assert [p["stage"] for p in detail["processing"]] == list(REGISTRY.names())
    download = client.get(detail["current_version"]["download_url"])
    assert download.content == sample_files["jpeg"].read_bytes()
    assert download.headers["cache-control"] == "private, no-store"
    ranged = client.get(detail["current_version"]["download_url"], headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and len(ranged.content) == 10


def test_region_scope_through_the_api(client: TestClient, admin, make_user, sample_files) -> None:
    admin_user, _ = make_user("admin", all_regions=True)
    viewer, _ = make_user("viewer", regions=["EU"])
    admin_headers = {"Authorization": f"Bearer {_token(admin_user.id)}"}
    viewer_headers = {"Authorization": f"Bearer {_token(viewer.id)}"}
    china = client.post(
        "/api/v1/assets",
        headers=admin_headers,
        data={"market": ["CN"]},
        files=[("files", ("cn.jpg", sample_files["jpeg"].read_bytes(), "image/jpeg"))],
    ).json()[0]
    assert client.get("/api/v1/assets", headers=viewer_headers).json()["total"] == 0
    assert client.get(f"/api/v1/assets/{china['asset_id']}", headers=viewer_headers).status_code == 404
    assert client.get(f"/api/v1/versions/{china['version_id']}/file", headers=viewer_headers).status_code == 404
    upload = client.post(
        "/api/v1/assets",
        headers=viewer_headers,
        files=[("files", ("x.png", sample_files["png"].read_bytes(), "image/png"))],
    ).json()
    assert upload[0]["reason"] == "forbidden"


def test_new_version_and_bad_input(client: TestClient, make_user, sample_files) -> None:
    editor, _ = make_user("editor", all_regions=True)
    headers = {"Authorization": f"Bearer {_token(editor.id)}"}
    first = client.post(
        "/api/v1/assets",
        headers=headers,
        data={"market": ["JP"]},
        files=[("files", ("a.jpg", sample_files["jpeg"].read_bytes(), "image/jpeg"))],
    ).json()[0]
    url = f"/api/v1/assets/{first['asset_id']}/versions"
    added = client.post(
        url,
        headers=headers,
        data={"change_note": "new logo"},
        files={"file": ("a2.png", sample_files["png"].read_bytes(), "image/png")},
    )
    assert added.status_code == 201 and added.json()["version"] == "v1.1"
    same = client.post(url, headers=headers, files={"file": ("a3.png", sample_files["png"].read_bytes(), "image/png")})
    assert same.status_code == 409 and "identical to v1.1" in same.json()["detail"]
    corrupt = client.post(url, headers=headers, files={"file": ("bad.jpg", b"\xff\xd8\xff\xe0garbage", "image/jpeg")})
    assert corrupt.status_code == 422 and "corrupt" in corrupt.json()["detail"]
    versions = client.get(url, headers=headers).json()
    assert [v["label"] for v in versions] == ["v1.1", "v1.0"]
    assert client.get("/api/v1/assets", headers=headers, params={"cursor": "%%%"}).status_code == 400
    assert client.get("/api/v1/assets/not-a-uuid", headers=headers).status_code == 422
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "dam_app API"


def test_search_endpoint(client: TestClient, make_user) -> None:
    from tests.search.library import build

    admin_user, _ = make_user("admin", all_regions=True)
    viewer, _ = make_user("viewer", regions=["JP"])
    with session_scope() as session:
        ids = build(session)
    admin_headers = {"Authorization": f"Bearer {_token(admin_user.id)}"}
    response = client.get("/api/v1/search", headers=admin_headers, params={"q": "red themed banner Japan market"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == ""  # every word was understood as a filter
    assert [(c["kind"], c["value"], c["strict"], c["key"]) for c in body["understood"]] == [
        ("colour", "red", False, "colour:red"),  # a look: preferred
        ("content_type", "banner", True, "content_type:banner"),  # named as such: filters
        ("market", "JP", True, "market:JP"),
    ]
    assert body["understood"][0]["words"] == "red themed"
    assert {"colours", "orientation", "language"} <= set(body["facets"])
    hits = [h["asset"]["id"] for h in body["hits"]]
    assert hits[:2] == [str(ids["banner_jp_red"]), str(ids["banner_jp_blue"])]  # red first; both are exact
    assert body["exact_total"] == 2 and body["relaxed"] and body["hits"][2]["unmet"] == ["Content type: Banner"]
    strict = client.get(
        "/api/v1/search",
        headers=admin_headers,
        params={"q": "purple themed banner Japan market", "require": "colour:purple"},
    ).json()  # switched to a filter: nothing is purple, so it is loosened again, and said
    assert strict["understood"][0]["strict"] and strict["relaxed"] and strict["exact_total"] == 0
    assert [c["label"] for c in strict["loosened"]] == ["Colour: purple"] and strict["loosened_total"] == 2
    assert strict["notes"][0].startswith("Nothing matched Colour: purple") and strict["hits"][0]["unmet"]
    exact = client.get(
        "/api/v1/search",
        headers=admin_headers,
        params={"q": "purple themed banner Japan market", "require": "colour:purple", "exact": "true"},
    ).json()
    assert exact["hits"] == [] and exact["loosened_total"] == 2 and "finds 2 results" in exact["notes"][0]
    boosted = client.get("/api/v1/search", headers=admin_headers, params={"q": "red sale banner"}).json()
    assert ("colour", "red", False) in [(c["kind"], c["value"], c["strict"]) for c in boosted["understood"]]
    assert boosted["hits"][0]["score"] > 0 and "red" in boosted["hits"][0]["asset"]["colours"]
    assert boosted["hits"][0]["carried_by"] and "sale" in str(boosted["hits"][0]["matched_in"])  # why this hit
    filtered = client.get("/api/v1/search", headers=admin_headers, params={"q": "serum", "market": "eu"}).json()
    assert filtered["hits"][0]["asset"]["id"] == str(ids["serum_eu"])
    assert all(h["asset"]["markets"] == ["EU"] for h in filtered["hits"])
    viewer_headers = {"Authorization": f"Bearer {_token(viewer.id)}"}
    scoped = client.get("/api/v1/search", headers=viewer_headers, params={"q": "serum"}).json()
    assert all({"JP", "GLOBAL"} & set(h["asset"]["markets"]) for h in scoped["hits"])
    assert client.get("/api/v1/search", headers=admin_headers, params={"q": "x" * 10_000}).status_code == 200
    assert client.get("/api/v1/search", headers=admin_headers, params={"sort": "random"}).status_code == 422
    recent = client.get(
        "/api/v1/search", headers=admin_headers, params={"q": "serum", "added": "7d", "exact": "true"}
    ).json()
    assert recent["hits"][0]["asset"]["id"] == str(ids["serum_na_new"]) and str(ids["serum_eu"]) not in str(recent)
    assert [age for age, _ in recent["facets"]["added"]] == ["7d"]
    bad_range = client.get("/api/v1/search", headers=admin_headers, params={"added": "yesterday"})
    assert bad_range.status_code == 422 and "valid: 7d, 30d, 90d, 365d, older" in bad_range.json()["detail"]
    since = client.get("/api/v1/assets", headers=admin_headers, params={"created_after": "2000-01-01"}).json()
    assert since["total"] == len(ids)  # a date without a zone reads as UTC
    assert client.get("/api/v1/assets", headers=admin_headers, params={"created_before": "soon"}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "serum"}).status_code == 401


def test_edit_endpoint(client: TestClient, make_user) -> None:
    from tests.search.library import build

    editor, _ = make_user("editor", regions=["NA"])
    viewer, _ = make_user("viewer", regions=["NA"])
    outsider, _ = make_user("editor", regions=["EU"])
    with session_scope() as session:
        ids = build(session)
    url = f"/api/v1/assets/{ids['lipstick_na']}"
    headers = {"Authorization": f"Bearer {_token(editor.id)}"}
    response = client.patch(url, headers=headers, json={"title": "Velvet Matte Lipstick", "add_tags": ["matte"]})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Velvet Matte Lipstick" and "matte" in [t["name"] for t in body["tags"]]
    assert client.get(url, headers=headers).json()["title"] == "Velvet Matte Lipstick"
    unknown = client.patch(url, headers=headers, json={"markets": ["Mars"]})
    assert unknown.status_code == 422 and "unknown market 'Mars'" in unknown.json()["detail"]
    assert client.patch(url, headers=headers, json={"title": ""}).json()["detail"] == "the title cannot be empty"
    assert client.patch(url, headers=headers, json={"markets": "NA"}).status_code == 422  # not a list
    scope = client.patch(url, headers=headers, json={"markets": ["NA", "CN"]})
    assert scope.status_code == 403 and "CN" in scope.json()["detail"]
    as_viewer = {"Authorization": f"Bearer {_token(viewer.id)}"}
    assert client.patch(url, headers=as_viewer, json={"title": "x"}).status_code == 403
    as_outsider = {"Authorization": f"Bearer {_token(outsider.id)}"}
    assert client.patch(url, headers=as_outsider, json={"title": "x"}).status_code == 404
    assert client.patch(url, json={"title": "x"}).status_code == 401
    assert client.get(url, headers=headers).json()["title"] == "Velvet Matte Lipstick"  # refusals changed nothing
