"""Similar images through the real worker: visual signatures, more like this, search by a reference
picture, near-duplicate groups; over the service, the API and the CLI, with bad references."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from dam_app.accounts import service as accounts
from dam_app.assets.service import AssetNotFound
from dam_app.assets.sniff import RejectedFile
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.search import similar
from tests.cli.test_cli import _dam
from tests.conftest import ingest_path, wait_until_processed


def _variant(source: Path, target: Path, *, scale: float = 1.0, crop: float = 0.0, quality: int = 90) -> Path:
    with Image.open(source) as original:
        w, h = original.size
        im = original.crop((int(w * crop), int(h * crop), int(w * (1 - crop)), int(h * (1 - crop))))
        im = im.resize((int(im.width * scale), int(im.height * scale)))
        im.convert("RGB").save(target, "JPEG", quality=quality)
    return target


@pytest.fixture
def looks(worker, admin, tmp_path: Path) -> dict[str, uuid.UUID]:
    """A blue shot with a resized and a cropped copy (NA), the same shot in red, and a banner (EU)."""
    shot = generate.product_shot(tmp_path / "aero.jpg", "Aero Run Sneaker", (40, 110, 220))
    files = {
        "original": (shot, ["NA"]),
        "resized": (_variant(shot, tmp_path / "aero-small.jpg", scale=0.5, quality=45), ["NA"]),
        "cropped": (_variant(shot, tmp_path / "aero-crop.jpg", crop=0.04), ["NA"]),
        "red": (generate.product_shot(tmp_path / "aero-red.jpg", "Aero Run Sneaker", (200, 40, 60)), ["NA"]),
        "banner": (generate.banner(tmp_path / "sale.png", "de", (20, 90, 160)), ["EU"]),
        "copy": (generate.copy_document(tmp_path / "copy.md", "Aero Run Sneaker"), ["NA"]),
    }
    ids = {}
    for key, (path, markets) in files.items():
        result = ingest_path(admin, path, markets)
        assert result.asset_id is not None, result.message
        ids[key] = result.asset_id
    for asset_id in ids.values():
        assert wait_until_processed(asset_id) == "ready"
    return ids


def test_more_like_this_ranks_copies_first_and_marks_them(admin, looks) -> None:
    with session_scope() as session:
        result = similar.similar_to_asset(session=session, principal=admin, asset_id=looks["original"])
    assert result.basis == "pixels"
    ranked = [h.card.asset.id for h in result.hits]
    assert set(ranked[:2]) == {looks["resized"], looks["cropped"]}
    assert ranked[2] == looks["red"]  # same layout, other colour: similar but not the same picture
    duplicates = {h.card.asset.id for h in result.hits if h.near_duplicate}
    assert duplicates == {looks["resized"], looks["cropped"]}
    assert looks["copy"] not in ranked and looks["original"] not in ranked
    with session_scope() as session:
        document = similar.similar_to_asset(session=session, principal=admin, asset_id=looks["copy"])
    assert document.basis == "meaning" and document.hits  # a document has no pixels: compared by meaning


def test_search_by_reference_picture_and_bad_references(admin, looks, tmp_path: Path) -> None:
    shot = generate.product_shot(tmp_path / "probe.jpg", "Aero Run Sneaker", (40, 110, 220))
    reference = _variant(shot, tmp_path / "probe-small.jpg", scale=0.3, quality=35)
    with session_scope() as session:
        result = similar.similar_to_image(session=session, principal=admin, path=reference, filename="probe.jpg")
    assert result.hits[0].near_duplicate and result.hits[0].card.asset.id in {
        looks["original"],
        looks["resized"],
        looks["cropped"],
    }
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(shot.read_bytes()[:1500])
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    for bad, reason in ((truncated, "corrupt_image"), (text, "not_a_picture"), (tmp_path / "empty.png", "empty")):
        bad.touch()
        with session_scope() as session, pytest.raises(RejectedFile) as caught:
            similar.similar_to_image(session=session, principal=admin, path=bad, filename=bad.name)
        assert caught.value.reason == reason, (bad.name, caught.value.reason, str(caught.value))
    with session_scope() as session, pytest.raises(AssetNotFound):
        similar.similar_to_asset(session=session, principal=admin, asset_id=uuid.uuid4())


def test_duplicate_groups_respect_the_callers_markets(admin, looks, make_user) -> None:
    with session_scope() as session:
        groups = similar.duplicate_groups(session=session, principal=admin)
    assert len(groups) == 1
    assert groups[0].cards[0].asset.id == looks["original"]  # oldest first
    assert {c.asset.id for c in groups[0].cards} == {looks["original"], looks["resized"], looks["cropped"]}
    assert groups[0].lowest_similarity >= 0.95
    _, eu_viewer = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        assert similar.duplicate_groups(session=session, principal=eu_viewer) == []
        seen = similar.similar_to_asset(session=session, principal=eu_viewer, asset_id=looks["banner"])
        assert all({"EU", "GLOBAL"} & set(h.card.asset.markets) for h in seen.hits)
        with pytest.raises(AssetNotFound):  # an NA asset does not exist for an EU viewer
            similar.similar_to_asset(session=session, principal=eu_viewer, asset_id=looks["original"])


def test_api_and_cli(services, admin, looks, make_user, tmp_path: Path) -> None:
    from dam_app.api.app import build_api

    user, _ = make_user("viewer", regions=["NA"])
    with session_scope() as session:
        token = accounts.issue_api_token(session=session, user_id=user.id, name="test").token
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(build_api()) as client:
        body = client.get(f"/api/v1/assets/{looks['original']}/similar", headers=headers).json()
        assert body["basis"] == "pixels" and body["hits"][0]["near_duplicate"] is True
        assert all(h["asset"]["markets"] == ["NA"] for h in body["hits"])  # the EU banner is not shown
        buffer = io.BytesIO()
        with Image.open(generate.product_shot(tmp_path / "ref.jpg", "Aero Run Sneaker", (40, 110, 220))) as im:
            im.resize((300, 300)).save(buffer, "PNG")
        found = client.post("/api/v1/search/image", headers=headers, files={"file": ("ref.png", buffer.getvalue())})
        assert found.status_code == 200 and found.json()["hits"][0]["near_duplicate"] is True
        broken_png = {"file": ("x.png", b"\x89PNG\r\n\x1a\n..")}
        corrupt = client.post("/api/v1/search/image", headers=headers, files=broken_png)
        assert corrupt.status_code == 422 and "cannot use this file as a reference" in corrupt.json()["detail"]
        assert client.get(f"/api/v1/assets/{uuid.uuid4()}/similar", headers=headers).status_code == 404
        groups = client.get("/api/v1/duplicates", headers=headers).json()["groups"]
        assert [len(g["assets"]) for g in groups] == [3]
    listed = _dam(services, "similar", str(looks["original"]), "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["hits"][0]["near_duplicate"] is True
    by_file = _dam(services, "similar", str(tmp_path / "ref.jpg"))
    assert by_file.returncode == 0 and "near duplicate" in by_file.stdout
    bad = _dam(services, "similar", "no-such-thing")
    assert bad.returncode == 2 and "neither a file nor an asset id" in bad.stderr
    dups = _dam(services, "duplicates", "--json")
    assert len(json.loads(dups.stdout)["groups"]) == 1


def test_reindex_describes_pictures_ingested_before_the_visual_stage(admin, looks) -> None:
    import time

    from sqlalchemy import delete

    from dam_app.search.jobs import enqueue_missing
    from dam_app.search.models import VisualSignature

    with session_scope() as session:
        session.execute(delete(VisualSignature).where(VisualSignature.asset_id == looks["red"]))
    assert enqueue_missing() == 1  # the red shot; the copy document has no pixels to describe
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope() as session:
            if session.get(VisualSignature, looks["red"]) is not None:
                break
        time.sleep(0.2)
    with session_scope() as session:
        result = similar.similar_to_asset(session=session, principal=admin, asset_id=looks["red"])
    assert result.basis == "pixels" and result.hits
