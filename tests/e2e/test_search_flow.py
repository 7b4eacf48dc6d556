"""In a real browser: search as you type, see what was understood, narrow by a facet, open by keyboard."""

from __future__ import annotations

import re
import uuid


def _signed_in_with_library(page, web, make_user) -> dict[str, uuid.UUID]:
    """The search test library, and an administrator signed in to browse it."""
    from dam_app.db import session_scope
    from tests.search.library import build

    user, _ = make_user("admin", all_regions=True, password="correct-horse-battery")
    with session_scope() as session:
        ids = build(session)
    page.goto(web + "/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")
    return ids


def test_live_search_with_chips_facets_url_and_keyboard(page, web, make_user) -> None:
    ids = _signed_in_with_library(page, web, make_user)

    page.goto(web + "/search")
    page.wait_for_selector("#search-box")
    page.fill("#search-box", "black friday banner North America")
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 2")
    assert page.locator(".query-chip-label").all_inner_texts() == ["Content type: Banner", "Market: North America"]
    assert page.locator(".query-chip-how").all_inner_texts() == ["filters", "filters"]
    page.wait_for_url(re.compile(r".*/search\?q=black\+friday\+banner\+North\+America$"))
    page.wait_for_selector("#exact-only")  # two exact matches: loosened ones follow them, and the page says so
    page.click("#exact-only")
    page.wait_for_url(re.compile(r".*exact=1.*"))
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 2")
    texts = page.locator(".search-hit").all_inner_texts()  # the two North American Black Friday banners
    assert any("Black Friday up to 50% off banner" in t for t in texts)
    assert any("Pulse Earbuds Black Friday banner" in t for t in texts)
    assert all("title: black, friday" in t and "found by " in t and "NA" in t for t in texts)  # why, per hit

    # A facet narrows the results and lands in the URL, so the search can be shared as is.
    page.fill("#search-box", "sale")
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 0")
    page.locator(".facet-value", has_text="JP").first.click()
    page.wait_for_url(re.compile(r".*market=JP.*"))
    page.wait_for_function("() => [...document.querySelectorAll('.search-hit')].every(h => h.innerText.includes('JP'))")
    shared = page.url

    # An old link (type=, kind=, lang=, people=) still narrows; the page then writes the API's names.
    page.goto(web + "/search?q=serum&type=product_image")
    page.wait_for_selector(".search-hit")
    every_hit = "() => [...document.querySelectorAll('.search-hit')].every(h => h.innerText.includes('{}'))"
    page.wait_for_function(every_hit.format("product image"))
    page.locator(".facet-value", has_text="NA").first.click()
    page.wait_for_url(re.compile(r".*/search\?q=serum&market=NA&content_type=product_image$"))
    page.wait_for_function(every_hit.format("NA"))

    # Reopening the shared URL gives the same results; arrow keys and Enter open the top hit.
    page.goto(shared)
    page.wait_for_function(every_hit.format("JP"))  # not the previous page's hits, still shown while it loads
    banners = [str(ids["banner_jp_red"]), str(ids["banner_jp_blue"])]
    page.wait_for_function(  # the query's own ranking, not the market's browse list shown before it runs
        "ids => ids.some(id => document.querySelector('.search-hit')?.getAttribute('href')?.endsWith(id))",
        arg=banners,
    )
    page.focus("#search-box")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/assets/.+"))
    opened = page.url.rsplit("/", 1)[-1]
    assert opened in banners

    # How long ago: the Added facet lists its ranges in time order and narrows to the past week.
    page.goto(web + "/search?q=serum")
    page.wait_for_selector(".search-hit")
    values = page.locator(".facet-value").all_inner_texts()
    newest = next(i for i, v in enumerate(values) if v.startswith("In the last 7 days"))
    oldest = next(i for i, v in enumerate(values) if v.startswith("Over a year ago"))
    assert newest < oldest
    week = page.locator(".facet-value", has_text="In the last 7 days")
    count = int(re.findall(r"\d+", week.inner_text())[-1])
    assert 0 < count < len(page.locator(".search-hit").all())
    week.click()
    page.wait_for_url(re.compile(r".*added=7d.*"))
    page.wait_for_function(f"() => document.querySelectorAll('.search-hit').length === {count}")
    assert "Hydra Glow Serum hero shot" in page.locator(".search-hit").first.inner_text()


def test_soft_words_prefer_a_click_filters_and_too_few_results_are_loosened_and_said(page, web, make_user) -> None:
    ids = _signed_in_with_library(page, web, make_user)

    # A colour is a wish: Japan's banners come, none purple, and the page says why.
    page.goto(web + "/search")
    page.fill("#search-box", "purple themed banner Japan market")
    page.wait_for_function("() => document.querySelectorAll('.query-chip').length === 3")
    assert page.locator(".query-chip-how").all_inner_texts() == ["prefers", "filters", "filters"]
    page.wait_for_selector(".search-hit")
    hits = page.locator(".search-hit").all_inner_texts()
    assert any("Summer sale banner Japan" in h for h in hits[:2])
    notes = page.locator(".search-note").all_inner_texts()
    assert "None of these results meets “Colour: purple”" in " ".join(notes)

    # One click makes it a filter: nothing is purple, so it is loosened again, said, and marked per hit.
    page.locator(".query-chip-how").first.click()
    page.wait_for_url(re.compile(r".*require=colour%3Apurple.*"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.search-note')].some(n => n.innerText.startsWith("
        "'Nothing matched Colour: purple, Content type: Banner and Market: Japan: showing 2 results in other colours'))"
    )
    assert page.locator(".query-chip-how").first.inner_text() == "filters"
    assert all("loosened: not Colour: purple" in h for h in page.locator(".search-hit").all_inner_texts())

    # Tighten again: no results, the reason, and one click back.
    page.click("#exact-only")
    page.wait_for_url(re.compile(r".*exact=1.*"))
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 0")
    assert "finds 2 results in other colours" in page.locator(".search-note").first.inner_text()
    page.click("#show-loosened")
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 2")

    # A filter the user chose is not dropped behind their back: the note offers to remove it.
    page.goto(web + "/search?q=serum&market=KR")
    page.wait_for_selector(".remove-filter")
    assert page.locator(".search-hit").count() == 0
    assert "removing the filter Market: KR finds" in page.locator(".search-note").first.inner_text()
    page.locator(".remove-filter").first.click()
    page.wait_for_url(re.compile(r".*/search\?q=serum$"))
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length >= 3")
    assert str(ids["serum_eu"]) in page.content() or "Serum" in page.locator(".search-hit").first.inner_text()
