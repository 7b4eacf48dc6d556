"""In a real browser: a reviewer approves a banner for their market, then finds it by saying so."""

from __future__ import annotations

import re


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
    assert page.inner_text("#approval-states") == "approved, legal approved"
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
    assert page.inner_text("#approval-states") == "approved, legal approved"
