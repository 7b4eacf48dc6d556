"""In real browsers, several at once: when Shanghai adds a version, the other tabs showing the asset
(its page, the library) update their badge and say so in a toast without a reload; a tab whose
viewer may not see the asset hears nothing."""

from __future__ import annotations

from dam_app.demo import generate
from tests.conftest import ingest_path, wait_until_processed
from tests.e2e.test_review_flow import _sign_in


def _tab(browser, web, user):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    context.set_default_timeout(30_000)
    page = context.new_page()
    _sign_in(page, web, user)
    return context, page


def test_a_new_version_reaches_every_open_tab_without_a_reload(browser, web, make_user, tmp_path) -> None:
    editor, principal = make_user("editor", regions=["CN"])
    watcher, _ = make_user("viewer", regions=["CN"])
    elsewhere, _ = make_user("viewer", regions=["EU"])
    banner = ingest_path(principal, generate.product_shot(tmp_path / "banner.jpg", "30% OFF", (40, 110, 220)), ("CN",))
    wait_until_processed(banner.asset_id)
    newer = generate.product_shot(tmp_path / "banner-40.jpg", "40% OFF", (200, 40, 60))

    contexts = []
    try:
        uploader_ctx, uploader = _tab(browser, web, editor)
        asset_ctx, on_asset = _tab(browser, web, watcher)
        library_ctx, on_library = _tab(browser, web, watcher)
        other_ctx, other_market = _tab(browser, web, elsewhere)
        search_ctx, on_search = _tab(browser, web, watcher)
        contexts = [uploader_ctx, asset_ctx, library_ctx, other_ctx, search_ctx]
        for page in (uploader, on_asset):
            page.goto(f"{web}/assets/{banner.asset_id}")
            page.wait_for_selector("#asset-version:has-text('v1.0')")
        card = on_library.locator(".asset-card", has_text="banner")
        card.wait_for()
        assert "v1.0" in card.inner_text()
        other_market.wait_for_selector("#asset-total")
        on_search.goto(f"{web}/search?q=banner")
        hit = on_search.locator(".search-hit", has_text="banner").first
        hit.wait_for()
        old_thumb = hit.locator("img").get_attribute("src")
        other_market.wait_for_timeout(300)  # its tab registered with the feed (on load)
        old_preview = on_asset.get_attribute("#preview-image", "src")

        uploader.set_input_files("#version-upload input[type=file]", str(newer))
        uploader.fill("#version-note", "40% OFF for Double Eleven")
        uploader.click("#version-upload-button")
        uploader.wait_for_selector("#version-ok:has-text('Added v1.1')")

        # The watching tabs: badge, card and toast, with no reload (the navigation count stays 1).
        on_asset.wait_for_selector("#asset-version:has-text('v1.1')", timeout=10_000)
        toast = on_asset.locator("[data-sonner-toast]", has_text="v1.1")
        toast.wait_for(timeout=10_000)
        assert "40% OFF for Double Eleven" in toast.inner_text()
        assert editor.display_name in toast.inner_text()
        assert toast.get_by_role("button", name="Compare").count() == 1
        card.locator("text=v1.1").wait_for(timeout=10_000)
        on_library.locator("[data-sonner-toast]", has_text="v1.1").wait_for(timeout=10_000)
        for page in (on_asset, on_library):
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
            assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "navigate"

        on_search.locator("[data-sonner-toast]", has_text="v1.1").wait_for(timeout=10_000)  # a search open too

        # When v1.1's processing ends, the page reads itself again: its preview replaces v1.0's.
        wait_until_processed(banner.asset_id)
        on_asset.wait_for_function(
            "old => { const shown = document.querySelector('#preview-image'); "
            "return !!shown && shown.getAttribute('src') !== old; }",
            arg=old_preview,
            timeout=20_000,
        )
        assert on_asset.locator("#asset-version").inner_text().count("v1.1") == 1
        on_search.wait_for_function(  # and the search result shows v1.1's thumbnail
            "old => { const img = document.querySelector('.search-hit img'); "
            "return !!img && img.getAttribute('src') !== old; }",
            arg=old_thumb,
            timeout=20_000,
        )
        assert on_search.evaluate("performance.getEntriesByType('navigation').length") == 1

        # Europe's library never showed the China-only banner and gets no word of it.
        other_market.wait_for_timeout(1500)
        assert other_market.locator("[data-sonner-toast]").count() == 0
        assert other_market.locator(".asset-card", has_text="banner").count() == 0
    finally:
        for context in contexts:
            context.close()
