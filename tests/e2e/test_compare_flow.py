"""In a real browser: from the asset page to the comparison of v1.0 and v1.1 of the seed's banner,
its progress, the five views by keyboard, the URL that reopens the same view, and a viewer of
another market who cannot open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dam_app.assets.ingest import add_version
from dam_app.db import session_scope
from tests.conftest import ingest_path, wait_until_processed
from tests.diff.pictures import banner
from tests.e2e.test_review_flow import _sign_in


def _two_versions(principal, older: Path, newer: Path, note: str = "") -> tuple[Any, Any]:
    """v1.0 of a new CN asset from `older`, then v1.1 from `newer`, both processed by the worker."""
    first = ingest_path(principal, older, ("CN",), title="Double Eleven")
    wait_until_processed(first.asset_id)
    with session_scope() as session:
        second = add_version(
            session=session,
            principal=principal,
            asset_id=first.asset_id,
            path=newer,
            filename=newer.name,
            change_note=note,
        )
    wait_until_processed(first.asset_id)
    return first, second


def test_compare_two_versions_of_a_banner(page, browser, web, make_user, tmp_path) -> None:
    editor, principal = make_user("editor", regions=["CN"])
    outsider, _ = make_user("viewer", regions=["EU"])
    banner("30% OFF").save(tmp_path / "banner-30.png")
    banner("40% OFF").save(tmp_path / "banner-40.png")
    first, second = _two_versions(principal, tmp_path / "banner-30.png", tmp_path / "banner-40.png", "40% OFF")

    _sign_in(page, web, editor)
    page.goto(f"{web}/assets/{first.asset_id}")
    page.wait_for_selector("#asset-version:has-text('v1.1')")
    assert page.locator("#newer-version").count() == 0  # the current version's page
    assert (
        page.locator("#compare-v1\\.0").get_attribute("href")
        == f"/assets/{first.asset_id}/compare?a={first.version_id}&b={second.version_id}"
    )
    page.goto(f"{web}/assets/{first.asset_id}?version={first.version_id}")  # a link to v1.0 itself
    page.wait_for_selector("#asset-version:has-text('v1.0')")
    assert "A newer version exists: v1.1, just now" in page.locator("#newer-version").inner_text()
    page.click("#newer-compare")
    page.wait_for_selector("#compare-title:has-text('v1.0')")
    page.wait_for_selector("#diff-headline:has-text('1 changed region')", timeout=30_000)
    assert page.locator("#side-a").is_visible() and page.locator("#side-b").is_visible()
    assert "a=" in page.url and "view=side" in page.url
    assert "Pixels" not in page.locator("#field-changes").inner_text()  # same size: only the file changed
    assert "banner-40.png" in page.locator("#field-changes").inner_text()

    page.keyboard.press("5")
    page.wait_for_selector("#heatmap")
    assert page.locator("#regions tbody tr").count() == 1
    page.wait_for_function("() => location.search.includes('view=heatmap')")
    page.keyboard.press("2")
    page.wait_for_selector("#view-swipe #overlay-b")
    page.keyboard.press("+")
    page.wait_for_function("() => location.search.includes('zoom=150')")
    page.keyboard.press("ArrowLeft")  # v1.0 has nothing older
    page.locator("[data-sonner-toast]", has_text="No older version").wait_for()
    page.keyboard.press("ArrowRight")  # and v1.1 nothing newer
    page.locator("[data-sonner-toast]", has_text="No newer version").wait_for()
    page.keyboard.press("3")  # onion skin: v1.1 half transparent over v1.0
    page.wait_for_selector("#view-onion #onion-slider")
    assert page.eval_on_selector("#view-onion #overlay-b", "img => getComputedStyle(img).opacity") == "0.5"
    page.keyboard.press("4")  # blink: v1.1 comes and goes over v1.0
    page.wait_for_selector("#view-blink #overlay-b.dam-blink")
    assert page.eval_on_selector("#overlay-b", "img => getComputedStyle(img).animationName") != "none"
    page.keyboard.press("2")
    page.wait_for_selector("#view-swipe #overlay-b")

    shared = page.url  # the same comparison, view and zoom for whoever opens the link
    page.goto(f"{web}/")
    page.goto(shared)
    page.wait_for_selector("#view-swipe #overlay-b")
    assert page.locator("#zoom-reset").inner_text() == "150%"
    overlay = f"{web}{page.locator('#overlay-b').get_attribute('src')}"
    picture = page.request.get(overlay)
    assert picture.status == 200 and picture.headers["content-type"] == "image/jpeg"

    page.keyboard.press("1")  # side by side at 150%: panning one side pans the other
    page.wait_for_selector("#view-side #side-a")
    page.keyboard.press("+")
    page.wait_for_function("() => location.search.includes('zoom=200')")
    page.evaluate("document.querySelectorAll('.dam-sync')[0].scrollLeft = 300")
    page.wait_for_function("() => document.querySelectorAll('.dam-sync')[1].scrollLeft > 200")

    context = browser.new_context()
    try:
        other = context.new_page()
        _sign_in(other, web, outsider)
        other.goto(shared)
        other.wait_for_selector("#compare-missing")
        assert other.request.get(overlay).status == 404
    finally:
        context.close()


def test_compare_two_versions_of_copy_word_by_word(page, web, make_user, tmp_path) -> None:
    editor, principal = make_user("editor", regions=["CN"])
    (tmp_path / "copy.md").write_text("# Double Eleven\n\n30% OFF every serum. Ships to Japan.\n")
    (tmp_path / "copy-40.md").write_text("# Double Eleven\n\n40% OFF every serum. Ships to Japan and Korea.\n")
    first, second = _two_versions(principal, tmp_path / "copy.md", tmp_path / "copy-40.md")

    _sign_in(page, web, editor)
    page.goto(f"{web}/assets/{first.asset_id}/compare?a={first.version_id}&b={second.version_id}")
    page.wait_for_selector("#word-diff .dam-word-removed", timeout=30_000)
    assert page.locator("#word-diff .dam-word-removed").all_inner_texts() == ["30"]
    assert page.locator("#word-diff .dam-word-added").all_inner_texts() == ["40", " and Korea"]


def test_compare_two_versions_of_a_video_by_facts_and_keyframes(page, web, make_user, tmp_path) -> None:
    from dam_app.demo.generate import short_video

    editor, principal = make_user("editor", regions=["CN"])
    older = short_video(tmp_path / "teaser.mp4", seconds=2.0)
    newer = short_video(tmp_path / "teaser-long.mp4", seconds=3.0, color=(40, 110, 220))
    first, second = _two_versions(principal, older, newer, "a longer cut")

    _sign_in(page, web, editor)
    page.goto(f"{web}/assets/{first.asset_id}/compare?a={first.version_id}&b={second.version_id}")
    page.wait_for_selector("#keyframes img", timeout=30_000)
    assert page.locator("#keyframes img").count() == 8  # four moments, each version's frame side by side
    page.wait_for_function(
        "() => [...document.querySelectorAll('#keyframes img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    facts = page.locator("#field-changes").inner_text()
    assert "Duration" in facts and "2.00 s" in facts and "3.00 s" in facts
