"""In a real browser: an editor renames and retags an asset, a bad edit is refused, search follows."""

from __future__ import annotations

from tests.e2e.test_review_flow import _sign_in


def test_editor_edits_details_and_search_follows(page, web, make_user) -> None:
    from dam_app.db import session_scope
    from tests.search.library import build

    editor, _ = make_user("editor", regions=["NA", "EU"], password="correct-horse-battery")
    viewer, _ = make_user("viewer", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        ids = build(session)
    backpack = ids["backpack_na"]

    _sign_in(page, web, editor)
    page.goto(f"{web}/assets/{backpack}")
    page.click("#edit-open")
    page.wait_for_selector("#edit-panel")
    assert page.input_value("#edit-title") == "Trail Pro Backpack 30L"
    page.fill("#edit-title", "")
    page.click("#edit-save")
    page.wait_for_selector("#edit-error")
    assert page.inner_text("#edit-error") == "Not saved: the title cannot be empty"

    page.fill("#edit-title", "Summit Explorer daypack")
    page.click("#edit-market-EU")
    page.locator(".edit-tag", has_text="outdoor").click()  # marked to be taken off
    page.fill("#edit-new-tags", "waterproof, autumn")
    page.click("#edit-save")
    page.wait_for_selector("#edit-ok")
    assert page.inner_text("#asset-title") == "Summit Explorer daypack"
    tags = page.locator(".tag").all_inner_texts()
    assert {"waterproof", "autumn"} <= set(tags) and "outdoor" not in tags
    assert "EU, NA" in page.inner_text("#classification")

    # The worker re-embeds the new words; the search page finds the asset by them.
    page.goto(web + "/search?q=summit+explorer")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.search-hit')].some(h => h.innerText.includes('Summit Explorer'))",
        timeout=60_000,
    )
    assert "title: summit, explorer" in page.locator(".search-hit").first.inner_text()

    # A viewer sees the details but no way to edit them.
    page.context.clear_cookies()
    _sign_in(page, web, viewer)
    page.goto(f"{web}/assets/{backpack}")
    page.wait_for_selector("#asset-title")
    page.wait_for_selector("#review")
    assert page.locator("#edit-open").count() == 0  # signing in cleared the editor's last render
