"""In a real browser: more like this on an asset, search by a dropped picture (and a broken one),
the duplicates page, and removing an understood chip from the query."""

from __future__ import annotations

import re

from PIL import Image


def test_more_like_this_picture_search_duplicates_and_chips(page, web, make_user, tmp_path) -> None:
    from dam_app.accounts.principal import system_principal
    from dam_app.demo import generate
    from tests.conftest import ingest_path, wait_until_processed

    user, _ = make_user("admin", all_regions=True, password="correct-horse-battery")

    shot = generate.product_shot(tmp_path / "aero.jpg", "Aero Run Sneaker", (40, 110, 220))
    copy = tmp_path / "aero-copy.jpg"
    with Image.open(shot) as im:
        im.resize((450, 450)).save(copy, "JPEG", quality=50)
    red = generate.product_shot(tmp_path / "aero-red.jpg", "Aero Run Sneaker", (200, 40, 60))
    ids = [ingest_path(system_principal(), path).asset_id for path in (shot, copy, red)]
    for asset_id in ids:
        assert wait_until_processed(asset_id) == "ready"

    page.goto(web + "/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")

    # The asset page lists look-alikes; the resized copy is marked as the same picture.
    page.goto(f"{web}/assets/{ids[0]}")
    page.wait_for_selector("#more-like-this .look-alike")
    tiles = page.locator("#more-like-this .look-alike").all_inner_texts()
    assert len(tiles) == 2 and "Near duplicate" in tiles[0] and "Near duplicate" not in tiles[1]

    # A dropped picture finds the asset it copies; a broken one gets a precise message.
    page.goto(web + "/search")
    page.wait_for_selector("#search-box")
    probe = tmp_path / "probe.png"
    with Image.open(shot) as im:
        im.resize((300, 300)).save(probe, "PNG")
    page.set_input_files("#reference-upload input[type=file]", str(probe))
    page.wait_for_selector("#reference-results .near-duplicate")
    assert page.locator("#reference-results .look-alike").count() == 3
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(shot.read_bytes()[:1200])
    page.set_input_files("#reference-upload input[type=file]", str(broken))
    page.wait_for_selector("#reference-error")
    assert "corrupt or truncated" in page.inner_text("#reference-error")
    page.get_by_role("button", name="Back to words").click()
    page.wait_for_selector("#reference-results", state="detached")

    # Removing a chip removes the words it came from.
    page.fill("#search-box", "sneaker North America latest")
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 2")
    page.locator(".query-chip", has_text="Market: North America").locator(".query-chip-remove").click()
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 1")
    assert page.input_value("#search-box") == "sneaker latest"
    page.wait_for_url(re.compile(r".*/search\?q=sneaker\+latest$"))

    # The duplicates page groups the shot with its copy, oldest first.
    page.goto(web + "/duplicates")
    page.wait_for_selector(".duplicate-group")
    assert page.locator(".duplicate-group").count() == 1
    group = page.locator(".duplicate-group .look-alike")
    assert group.count() == 2 and group.first.get_attribute("href") == f"/assets/{ids[0]}"
