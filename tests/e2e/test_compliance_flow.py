"""In a real browser: a reviewer sees what the rule packs found in a banner's copy, highlighted where
it stands, and accepts findings with a reason (a health claim only with its evidence)."""

from __future__ import annotations

from tests.e2e.test_review_flow import _sign_in


def test_reviewer_accepts_findings_with_reasons(page, web, make_user) -> None:
    from dam_app.db import session_scope
    from dam_app.review import compliance
    from tests import factories

    reviewer, _ = make_user("reviewer", regions=["CN"], password="correct-horse-battery")
    viewer, _ = make_user("viewer", regions=["CN"], password="correct-horse-battery")
    with session_scope() as session:
        asset = factories.asset(
            session, title="Double Eleven serum", markets=["CN"], copy="全网最低价的精华\nClinically proven glow"
        )
        assert asset.current_version_id is not None
        compliance.check_version(session=session, version_id=asset.current_version_id)
        asset_id = asset.id

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector(".finding.open")
    assert page.inner_text("#open-findings") == "2 open"
    assert sorted(page.locator(".finding-words").all_inner_texts()) == ["Clinically proven", "最低价"]
    term = page.locator(".finding", has_text="Absolute term")
    assert "全网" in term.inner_text() and term.locator(".finding-words").inner_text() == "最低价"

    term.locator(".open-exception").click()
    page.fill("#exception-reason", "Lowest price checked against the Tmall price log")
    page.click("#exception-save")
    page.wait_for_selector("#compliance-ok")
    assert page.inner_text("#open-findings") == "1 open"
    assert "Lowest price checked" in page.locator(".finding-exception").inner_text()

    claim = page.locator(".finding.open", has_text="Health claim")
    claim.locator(".open-exception").click()
    page.fill("#exception-reason", "Study on file")
    page.click("#exception-save")
    page.wait_for_selector("#compliance-error")
    assert "needs its evidence named" in page.inner_text("#compliance-error")
    page.fill("#exception-evidence", "Study DS-2026-114, 12 weeks, 60 participants")
    page.click("#exception-save")
    page.wait_for_function("() => document.querySelectorAll('.finding.open').length === 0")
    assert page.locator("#open-findings").count() == 0

    # A viewer sees the findings and who accepted them, without a way to accept one.
    page.context.clear_cookies()
    _sign_in(page, web, viewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector(".finding.excepted")
    assert page.locator(".finding-exception").count() == 2 and page.locator(".open-exception").count() == 0


def test_admin_edits_a_rule_pack_as_a_new_version(page, web, make_user) -> None:
    admin, _ = make_user("admin", all_regions=True, password="correct-horse-battery")
    _sign_in(page, web, admin)
    page.goto(f"{web}/admin")
    page.wait_for_selector("#pack-history")
    assert page.input_value("#pack-name") == "China Advertising Law art. 9: absolute terms"
    assert page.input_value("#pack-markets") == "CN"
    exemptions = page.locator("textarea[data-field='exempt_patterns']")
    assert "最佳(?:食用" in exemptions.input_value()
    exemptions.fill(exemptions.input_value() + "\n(国家级")
    page.click("#pack-save")
    page.wait_for_selector("#pack-error")
    assert "'(国家级' is not a valid regular expression" in page.inner_text("#pack-error")
    exemptions.fill(exemptions.input_value().replace("(国家级", "国家级非物质文化遗产"))
    page.fill("#pack-note", "heritage titles are official designations")
    page.click("#pack-save")
    page.wait_for_selector("#pack-ok")
    assert page.inner_text("#pack-ok").startswith("Saved as v2")
    history = page.inner_text("#pack-history")
    assert "v2" in history and "heritage titles" in history and "v1" in history


def test_reviewer_works_through_the_queue_with_the_keyboard(page, web, make_user) -> None:
    from datetime import UTC, datetime, timedelta

    from dam_app.db import session_scope
    from dam_app.review import compliance
    from tests import factories

    reviewer, _ = make_user("reviewer", regions=["CN"], password="correct-horse-battery")
    with session_scope() as session:
        first = factories.asset(
            session,
            title="Silk mask draft",
            markets=["CN"],
            copy="全网最低价",
            created_at=datetime.now(UTC) - timedelta(days=3),
        )
        factories.asset(session, title="Tea set banner", markets=["CN"])
        assert first.current_version_id is not None
        compliance.check_version(session=session, version_id=first.current_version_id)

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/review")
    page.wait_for_selector(".queue-row")
    assert page.inner_text("#queue-total").startswith("2 versions wait")
    rows = page.locator(".queue-row")
    assert "Silk mask draft" in rows.nth(0).inner_text() and "CN: legal, market" in rows.nth(0).inner_text()
    assert "1 open finding" in rows.nth(0).inner_text() and "3 days" in rows.nth(0).inner_text()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_selector("#approve")
    assert page.inner_text("#asset-title") == "Silk mask draft"
    assert "awaiting" in page.inner_text("#decisions")
    page.click("#approve")  # legal, the first stage
    page.wait_for_selector("#review-ok")
    page.goto(f"{web}/review")
    first_row = "document.querySelector('.queue-row')"
    page.wait_for_function(f"() => {first_row} && {first_row}.innerText.includes('CN: market')")
