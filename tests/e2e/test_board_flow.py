"""In real browsers: a campaign manager makes a board, adds requests, drags one to peak, moves another
from the keyboard; a colleague with the board open sees every move without a reload, a script's
move too. (A stale move's refusal, 409 with where the card is now, is tested over the API.)"""

from __future__ import annotations

from dam_app.boards import reads, service
from dam_app.db import session_scope
from tests.e2e.test_review_flow import _sign_in


def test_board_moves_by_drag_and_keyboard(page, browser, web, make_user) -> None:
    manager, principal = make_user("editor", regions=["CN", "JP"])
    _sign_in(page, web, manager)
    page.goto(f"{web}/boards")
    page.fill("#board-campaign", "Double Eleven board test")
    page.fill("#board-markets", "CN JP")
    page.click("#board-create")
    page.wait_for_selector("#board-title:has-text('Double Eleven board test')")
    warm_up = page.locator(".board-column[data-phase='warm-up']")
    for title in ("Hero banner 1.91:1", "Teaser 9:16"):
        head = page.locator(".board-column-head[data-phase='warm-up']")
        head.locator(".card-new-title input").fill(title)
        head.locator(".card-add").click()
        warm_up.locator(f".board-card[data-card='{title}']").wait_for()

    # A soft limit of 1 on warm-up: the column says it is over.
    head = page.locator(".board-column-head[data-phase='warm-up']")
    head.locator(".column-settings").click()
    page.fill("input[name='soft']", "1")
    page.click(".column-save")
    page.wait_for_selector(
        ".board-column-head[data-phase='warm-up'] .column-load:has-text('2 of 1 (over the soft limit)')"
    )

    # Reorder within a column: the banner dropped on the teaser goes just below it.
    page.drag_and_drop(".board-card[data-card='Hero banner 1.91:1']", ".board-card[data-card='Teaser 9:16']")
    page.wait_for_selector("#board-said:has-text('Moved Hero banner 1.91:1 below Teaser 9:16')")
    order = warm_up.locator(".board-card").evaluate_all("cards => cards.map(c => c.dataset.card)")
    assert order == ["Teaser 9:16", "Hero banner 1.91:1"]
    up = page.locator(".board-card[data-card='Hero banner 1.91:1'] .card-up")
    up.focus()
    page.keyboard.press("Enter")  # and back up one place, from the keyboard
    page.wait_for_selector("#board-said:has-text('Moved Hero banner 1.91:1 to the top of warm-up')")
    order = warm_up.locator(".board-card").evaluate_all("cards => cards.map(c => c.dataset.card)")
    assert order == ["Hero banner 1.91:1", "Teaser 9:16"]

    page.drag_and_drop(".board-card[data-card='Hero banner 1.91:1']", ".board-column[data-phase='peak']")
    page.locator(".board-column[data-phase='peak'] .board-card[data-card='Hero banner 1.91:1']").wait_for()
    assert "1 card" in page.locator(".board-column-head[data-phase='peak'] .column-load").inner_text()
    page.wait_for_selector("#board-said:has-text('Moved Hero banner 1.91:1 to peak')")

    exported = page.request.get(f"{web}{page.get_attribute('#board-export', 'href')}")
    assert exported.status == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "peak,requested,Hero banner 1.91:1" in exported.text()  # the export button: the board as CSV

    # A colleague has the board open in another browser: every move shows there without a reload.
    colleague, _ = make_user("editor", regions=["CN", "JP"])
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        other = context.new_page()
        _sign_in(other, web, colleague)
        other.goto(page.url)
        other.locator(".board-column[data-phase='peak'] .board-card[data-card='Hero banner 1.91:1']").wait_for()
        other.wait_for_timeout(300)  # its tab registered with the live feed (on load)

        teaser = page.locator(".board-card[data-card='Teaser 9:16'] .card-next")
        teaser.focus()
        page.keyboard.press("Enter")  # the keyboard alternative to dragging
        page.locator(".board-column[data-phase='peak'] .board-card[data-card='Teaser 9:16']").wait_for()
        other.locator(".board-column[data-phase='peak'] .board-card[data-card='Teaser 9:16']").wait_for(timeout=10_000)
        said = other.inner_text("#board-said")
        assert manager.display_name in said and "moved Teaser 9:16: peak" in said  # for screen readers too
        assert other.evaluate("performance.getEntriesByType('navigation').length") == 1

        # Someone moves the teaser on from a script: both pages show where it is now.
        with session_scope() as session:
            card = next(
                c
                for c in service.cards_of(
                    session, principal, reads.visible_boards(session=session, principal=principal)[0]
                )
                if c.title == "Teaser 9:16"
            )
            service.move_card(
                session=session,
                principal=principal,
                card_id=card.id,
                phase="encore",
                status="in_review",
                after=None,
                expected_revision=card.revision,
            )
        for shown in (page, other):
            shown.locator(".board-column[data-phase='encore'] .board-card[data-card='Teaser 9:16']").wait_for(
                timeout=10_000
            )
        # The page showed the latest revision, so the next move is not refused as stale.
        page.locator(".board-card[data-card='Teaser 9:16'] .card-prev").click()
        page.locator(".board-column[data-phase='peak'] .board-card[data-card='Teaser 9:16']").wait_for()
        assert page.locator("#board-move-error").count() == 0 or page.inner_text("#board-move-error") == ""
        other.locator(".board-column[data-phase='peak'] .board-card[data-card='Teaser 9:16']").wait_for(timeout=10_000)

        # A bulk move: both cards to encore at once; the colleague sees both there.
        titles = ("Hero banner 1.91:1", "Teaser 9:16")
        for title in titles:
            page.locator(f".board-card[data-card='{title}'] .card-select").click()
        page.wait_for_selector("#board-selected:has-text('2 selected')")
        page.locator("#board-bulk button[aria-label='Move selected to']").click()
        page.get_by_role("option", name="Encore").click()
        page.wait_for_selector("#board-said:has-text('Moved 2 cards to encore')")
        for title in titles:
            other.locator(f".board-column[data-phase='encore'] .board-card[data-card='{title}']").wait_for(
                timeout=10_000
            )

        # The status view: a column per status, the cards of every phase in it.
        page.locator("#board-controls button[aria-label='View']").click()
        page.get_by_role("option", name="By status").click()
        page.locator(".board-column[data-phase='in_review'] .board-card[data-card='Teaser 9:16']").wait_for()
        page.locator(".board-column[data-phase='requested'] .board-card[data-card='Hero banner 1.91:1']").wait_for()

        # A hard limit on "in review" across the board: a second card is refused there, with the reason.
        page.locator(".board-column-head[data-phase='in_review'] .column-settings").click()
        page.fill("input[name='hard']", "1")
        page.click(".column-save")
        page.wait_for_selector(".board-column-head[data-phase='in_review'] .column-load:has-text('1 of 1')")
        page.locator(".board-card[data-card='Hero banner 1.91:1'] .card-status").select_option("in_review")
        page.wait_for_selector("#board-move-error:has-text('in review is full: its limit is 1 cards across the board')")
        assert (
            page.locator(".board-column[data-phase='requested'] .board-card[data-card='Hero banner 1.91:1']").count()
            == 1
        )
    finally:
        context.close()
