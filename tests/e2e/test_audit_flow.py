"""In a real browser: an admin reads the audit trail, narrows it to approvals, exports it as CSV, and
ticks a market's required stage on the Admin page; a viewer is kept out of the trail."""

from __future__ import annotations

from dam_app.ui import routes
from tests.e2e.test_review_flow import _sign_in


def test_admin_reads_filters_and_exports_the_trail_and_sets_a_markets_stages(page, web, make_user) -> None:
    from dam_app.catalog.models import Market
    from dam_app.db import session_scope
    from dam_app.review import service as review_service
    from tests import factories

    admin, admin_principal = make_user("admin", all_regions=True, password="correct-horse-battery")
    viewer, _ = make_user("viewer", regions=["JP"], password="correct-horse-battery")
    with session_scope() as session:
        asset = factories.asset(session, title="Sakura tote", markets=["JP"])
        review_service.record_decision(
            session=session, principal=admin_principal, asset_id=asset.id, market="JP", stage="legal",
            decision="rejected", note="Outdated logo",
        )  # fmt: skip

    _sign_in(page, web, admin)
    page.goto(web + routes.AUDIT)
    page.wait_for_selector(".audit-row")
    first = page.locator(".audit-row").first.inner_text()
    assert "rejected" in first and "Sakura tote" in first and "Outdated logo" in first and admin.email in first
    page.fill("#audit-actor", "nobody-at-all")
    page.click("#audit-apply")
    page.wait_for_selector("#audit-empty")
    page.fill("#audit-actor", admin.email.split("@")[0])
    page.click("#audit-apply")
    page.wait_for_selector(".audit-row")
    assert "audit/export.csv?actor=" in (page.get_attribute("#audit-export", "href") or "")
    with page.expect_download() as download:
        page.click("#audit-export")
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("when (UTC),who,action") and any("Outdated logo" in line for line in lines[1:])

    try:
        page.goto(web + routes.ADMIN)
        row = page.locator(".market-stages", has_text="JP")
        row.locator(".stage-brand").click()
        page.wait_for_selector("#stages-ok")
        assert "JP now requires legal, brand" in page.inner_text("#stages-ok")
        with session_scope() as session:
            market = session.get(Market, "JP")
            assert market is not None and market.review_stages == ["legal", "brand"]
    finally:
        with session_scope() as session:
            market = session.get(Market, "JP")
            assert market is not None
            market.review_stages = ["legal"]

    page.context.clear_cookies()
    _sign_in(page, web, viewer)
    page.goto(web + routes.AUDIT)
    page.wait_for_selector("text=The audit trail is for reviewers and admins.")
