"""In a real browser: a reviewer records a licence whose end has passed and sees the asset blocked in
that market, with the reason; a viewer of that market finds the download refused, and the tile says
so; the reviewer renews the licence and the verdict turns usable with its conditions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dam_app.ui import routes
from tests.e2e.test_review_flow import _sign_in


def test_reviewer_records_rights_and_the_verdict_follows(page, web, make_user) -> None:
    from dam_app.db import session_scope
    from tests import factories

    reviewer, _ = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    viewer, _ = make_user("viewer", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        asset_id = factories.asset(session, title="Canyon trail runner", markets=["NA"]).id
    today = datetime.now(UTC).date()

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#verdicts .market-verdict")
    assert "NA: Usable with conditions" in page.inner_text("#verdicts")
    assert "no rights record" in page.inner_text("#verdicts")

    page.click("#rights-add")
    page.fill("#rights-licensor", "Getty Images <b>Creative</b>")
    page.fill("#rights-licence-id", "GI-2026-0042")
    assert page.input_value("#rights-markets") == "NA"  # the asset's markets to start from
    page.fill("#rights-start", (today - timedelta(days=365)).isoformat())
    page.fill("#rights-end", (today - timedelta(days=1)).isoformat())
    page.fill("#rights-usages", "web, social")
    page.click("#rights-save")
    page.wait_for_selector("#rights-ok")
    page.wait_for_selector("#verdicts .market-verdict.blocked")
    assert f"Blocks: the licence ended on {today - timedelta(days=1)}" in page.inner_text("#verdicts")
    record = page.locator(".rights-record")
    assert "Getty Images <b>Creative</b>" in record.inner_text()  # shown as text
    assert page.locator(".verdict", has_text="NA: Blocked").count() == 1

    page.click("#rights-add")
    page.fill("#rights-markets", "NA")
    page.fill("#rights-start", (today - timedelta(days=30)).isoformat())
    page.click("#rights-save")
    page.wait_for_selector("#rights-error")
    assert "already covers NA for an overlapping period" in page.inner_text("#rights-error")
    page.get_by_role("button", name="Cancel").first.click()

    # A viewer in NA: the download is refused with the reason, the library tile says blocked.
    page.context.clear_cookies()
    _sign_in(page, web, viewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#download-blocked")
    assert "blocked for use in your markets" in page.inner_text("#download-blocked")
    assert page.locator("#override-reason").count() == 0 and page.locator("#rights-add").count() == 0
    page.goto(web + routes.LIBRARY)
    tile = page.locator(".asset-card", has_text="Canyon trail runner")
    assert tile.locator(".tile-verdict").inner_text() == "Blocked in NA"

    # The reviewer renews it: usable again, with the usage condition named.
    page.context.clear_cookies()
    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector(".edit-rights")
    page.click(".edit-rights")
    page.fill("#rights-end", (today + timedelta(days=365)).isoformat())
    page.click("#rights-save")
    page.wait_for_selector("#verdicts .market-verdict:not(.blocked)")
    verdicts = page.inner_text("#verdicts")
    assert "NA: Usable with conditions" in verdicts and "licensed for social, web use only" in verdicts
    assert page.locator("#download-blocked").count() == 0
