"""In a real browser: a reviewer approves a banner for their market, then finds it by saying so."""

from __future__ import annotations

import re

from sqlmodel import select


def _sign_in(page, web, user) -> None:
    page.goto(web + "/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")


def test_reviewer_approves_and_search_finds_by_approval(page, web, make_user) -> None:
    from dam_app.db import session_scope
    from tests.search.library import build

    reviewer, _ = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    viewer, _ = make_user("viewer", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        ids = build(session)
    banner = ids["banner_bf_na"]

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{banner}")
    page.wait_for_selector("#approve")
    assert page.inner_text("#approval-states") == "unreviewed"
    page.fill("#review-note", "Claims checked")
    page.click("#approve")
    page.wait_for_selector("#review-ok")
    assert page.inner_text("#review-ok") == "Legal approved for NA."
    assert page.inner_text("#approval-states") == "in review, legal approved"  # NA also requires brand
    assert "Claims checked" in page.inner_text("#decisions")

    page.goto(web + "/search")
    page.fill("#search-box", "legal approved banner")
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 2")
    assert "Legal approved" in page.locator(".query-chip-label").all_inner_texts()
    page.wait_for_selector("#exact-only")  # one exact match: loosened ones follow it, and the page says so
    assert "Only 1 matched" in page.locator(".search-note").first.inner_text()
    page.click("#exact-only")
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 1")
    assert "Black Friday up to 50% off banner" in page.inner_text(".search-hit")
    # The approval facet counts it in words, and the URL keeps the search shareable.
    page.fill("#search-box", "black friday")
    page.locator(".facet-value", has_text="Legal approved").first.click()
    page.wait_for_url(re.compile(r".*approval=legal_approved.*"))
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 1")

    # A viewer sees the decision but gets no buttons to make one.
    page.context.clear_cookies()
    _sign_in(page, web, viewer)
    page.goto(f"{web}/assets/{banner}")
    page.wait_for_selector("#decisions")
    assert page.locator("#approve").count() == 0
    assert page.inner_text("#approval-states") == "in review, legal approved"


def test_a_reviewer_is_told_their_markets_area_is_unchanged_in_a_new_version(page, web, make_user) -> None:
    """A banner with a Chinese and a Japanese line, approved in CN; its next version redoes the
    Japanese line: the CN reviewer reads that CN's area is unchanged, with a link to the comparison."""
    from dam_app.db import session_scope
    from dam_app.diff import jobs as diff_jobs
    from dam_app.diff.models import VersionDiff
    from dam_app.review import service as review_service
    from dam_app.review import since
    from tests import factories
    from tests.diff.helpers import picture_version
    from tests.review.test_since import _banner

    reviewer, _ = make_user("reviewer", regions=["CN"], password="correct-horse-battery")
    with session_scope() as session:
        admin = factories.admin(session)
        asset = factories.asset(session, title="Bilingual offer", markets=("CN", "JP"), index=False)
        approved_id = picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデー限定")).id
        asset_id = asset.id
    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#approve")
    page.click("#approve")  # CN, legal
    page.wait_for_selector("#review-ok")
    with session_scope() as session:
        review_service.record_decision(
            session=session, principal=admin, asset_id=asset_id, market="CN", stage="market", decision="approved"
        )
        asset = session.get_one(type(asset), asset_id)
        newer = picture_version(session, admin, asset, _banner("双十一限时特惠", "ブラックフライデーセール"))
        since.request_comparisons(session, newer)
        newer_id = newer.id
    with session_scope() as session:
        diff_id = session.exec(select(VersionDiff.id).where(VersionDiff.version_b == newer_id)).one()
    diff_jobs.compute_diff(str(diff_id))  # what the worker does (it may get there first: the job is idempotent)

    # No reload: the finished comparison refreshes the open page (a live event).
    page.wait_for_function(
        "() => { const h = document.querySelector('.since-approved'); return h && h.innerText.includes('unchanged'); }"
    )
    hint = page.inner_text(".since-approved")
    assert "CN: unchanged since v1.1" in hint and "in text written in Japanese" in hint, hint
    href = page.locator(".since-approved a").get_attribute("href")
    assert href is not None and href.endswith(f"compare?a={approved_id}&b={newer_id}")
