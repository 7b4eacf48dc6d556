"""The `dam` command as a user runs it: a real process against the test servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from dam_app.assets.models import Asset
from dam_app.db import session_scope
from dam_app.demo import generate

DAM = str(Path(sys.executable).with_name("dam"))


def _dam(services: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **services}
    return subprocess.run([DAM, *args], env=env, capture_output=True, text=True, timeout=180)


def _tree(root: Path) -> None:
    generate.product_shot(root / "NA" / "product-images" / "peak" / "shoe.jpg", "Shoe", (40, 110, 220))
    generate.banner(root / "EU" / "banners" / "warm-up" / "banner-de.png", "de", (20, 90, 160))
    generate.short_video(root / "JP" / "videos" / "encore" / "teaser.mp4", seconds=0.5)
    generate.copy_document(root / "CN" / "copy" / "peak" / "文案-双十一.md", "Silk Sleep Mask", "zh")
    generate.banner(root / "SEA" / "banners" / "peak" / "حملة-الجمعة.png", "id", (120, 30, 90))
    bad = root / "NA" / "broken"
    bad.mkdir(parents=True)
    (bad / "truncated.jpg").write_bytes((root / "NA" / "product-images" / "peak" / "shoe.jpg").read_bytes()[:2000])
    (bad / "empty.png").touch()
    (bad / "liar.jpg").write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 500)
    (bad / "passwords.jpg").symlink_to("/etc/passwd")
    shoe_bytes = (root / "NA" / "product-images" / "peak" / "shoe.jpg").read_bytes()
    (root / "SEA" / "shoe-copy.jpg").write_bytes(shoe_bytes)  # walked after NA: reported as duplicate


def test_import_classifies_by_folder_reports_bad_files_and_resumes(services, tmp_path) -> None:
    _tree(tmp_path)
    first = _dam(services, "import", str(tmp_path), "--campaign", "Double Eleven", "--json")
    assert first.returncode == 1, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["imported"], summary["duplicates"], summary["failed"]) == (5, 1, 4)
    reasons = {f["file"]: f["reason"] for f in summary["failures"]}
    assert reasons == {
        "truncated.jpg": "corrupt_image",
        "empty.png": "empty",
        "liar.jpg": "unsupported_type",
        "passwords.jpg": "symlink",
    }
    with session_scope() as session:
        assets = {a.title: a for a in session.exec(select(Asset))}
    shoe = assets["shoe"]
    assert (shoe.markets, shoe.content_type, shoe.phase, shoe.campaign) == (
        ["NA"],
        "product_image",
        "peak",
        "double-eleven",
    )
    assert assets["teaser"].media_kind == "video" and assets["teaser"].phase == "encore"
    assert assets["文案 双十一"].markets == ["CN"] and assets["文案 双十一"].content_type == "copy"
    assert assets["حملة الجمعة"].markets == ["SEA"]

    again = _dam(services, "import", str(tmp_path), "--json")
    resumed = json.loads(again.stdout)
    assert (resumed["imported"], resumed["resumed"], resumed["failed"]) == (0, 6, 4)


def test_import_rejects_unknown_options_per_file(services, tmp_path) -> None:
    generate.product_shot(tmp_path / "a.jpg", "A", (1, 2, 3))
    result = _dam(services, "import", str(tmp_path), "--market", "Atlantis")
    assert result.returncode == 1
    assert "failed 1" in result.stdout and "unknown market 'Atlantis'" in result.stdout


def test_user_add_token_and_status(services) -> None:
    created = _dam(
        services,
        "user",
        "add",
        "lena@example.com",
        "--role",
        "reviewer",
        "--region",
        "EU",
        "--region",
        "na",
        "--password",
        "a-long-password",
        "--token",
    )
    assert created.returncode == 0, created.stdout + created.stderr
    assert "created lena@example.com (reviewer; EU, NA)" in created.stdout
    assert "API token (shown once): dam_" in created.stdout
    duplicate = _dam(services, "user", "add", "LENA@example.com", "--password", "a-long-password")
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    weak = _dam(services, "user", "add", "x@example.com", "--password", "short")
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    status = json.loads(_dam(services, "status", "--json").stdout)
    assert status["database"].startswith("ok 18") and status["redis"] == "ok"
    assert isinstance(status["queue_depth"], int) and "failed_stages" in status


def test_search_command(services) -> None:
    from tests.search.library import build

    with session_scope() as session:
        ids = build(session)
    result = _dam(services, "search", "hiking rucksack", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["hits"][0]["asset"]["id"] == str(ids["backpack_na"]) and body["total"] >= 1
    assert "facets" in body and body["understood"] == []  # the API's shape (SearchOut), not a CLI dialect
    plain = _dam(services, "search", "banners Japan")  # two exact hits: loosened ones follow, said so
    out = " ".join(plain.stdout.split())
    assert "understood: Content type: Banner (filters; content_type:banner), Market: Japan (filters; market:JP)" in out
    assert "Only 2 matched Content type: Banner and Market: Japan; after them" in out
    assert "loosened: not Content type: Banner" in out
    why = " ".join(_dam(services, "search", "hiking rucksack").stdout.split())  # each hit says why
    assert "found by words" in why and "description: hiking, rucksack" in why and "found by meaning" in why
    exact = _dam(services, "search", "banners Japan", "--exact", "--prefer", "market:JP")
    out = " ".join(exact.stdout.split())
    assert "Market: Japan (prefers; market:JP)" in out and "loosened:" not in out


def test_edit_command(services) -> None:
    from tests.search.library import build

    with session_scope() as session:
        ids = build(session)
    asset_id = str(ids["scarf_eu"])
    done = _dam(services, "edit", asset_id, "--title", "Merino Winter Scarf", "--market", "EU", "--market", "NA",
                "--phase", "peak", "--tag", "merino")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Merino Winter Scarf [EU, NA]" in done.stdout
    with session_scope() as session:
        asset = session.get(Asset, ids["scarf_eu"])
        assert asset is not None and asset.title == "Merino Winter Scarf" and asset.phase == "peak"
    refused = _dam(services, "edit", asset_id, "--type", "hologram")
    assert refused.returncode == 2 and "unknown content type 'hologram'" in refused.stderr
    missing = _dam(services, "edit", "not-an-id", "--title", "x")
    assert missing.returncode == 2 and "no such asset" in missing.stderr
