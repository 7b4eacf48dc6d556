"""In real browsers: a campaign manager opens a request from the board, edits its brief and formats,
attaches a library asset the page suggests instead of producing one, ticks a checklist step and
comments; a
colleague's board shows the attachment and the tick live; the coverage page shows the gap left;
swimlanes and filters arrange the board; a deleted request vanishes from the colleague's board."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from dam_app.boards import checklists, service
from dam_app.db import session_scope
from tests import factories
from tests.e2e.test_review_flow import _sign_in


def test_a_request_is_fulfilled_by_reuse_and_shown_live(page, browser, web, make_user) -> None:
    manager, principal = make_user("editor", regions=["CN", "JP"])
    word = f"qilin{uuid.uuid4().hex[:5]}"
    with session_scope() as session:
        board = service.create_board(
            session=session, principal=principal, campaign=f"Double Eleven {word}", markets=["CN", "JP"]
        )
        card = service.add_card(
            session=session,
            principal=principal,
            board_id=board.id,
            fields=service.CardFields(title=f"{word} mascot banner", phase="peak", owner_id=principal.user_id),
        )
        last_year = datetime.now(UTC) - timedelta(days=365)  # from an earlier campaign: reuse
        factories.asset(session, title=f"{word} mascot, Tokyo store", markets=("JP",), created_at=last_year)
        board_id, card_id = board.id, card.id
    _sign_in(page, web, manager)
    page.goto(f"{web}/boards/{board_id}")
    page.click(f".board-card[data-card='{word} mascot banner'] .card-title")
    page.wait_for_selector(f"#card-title:has-text('{word} mascot banner')")
    assert page.url.endswith(f"/cards/{card_id}")

    page.fill("#card-brief", "The mascot in front of red lanterns, for Douyin and LINE")
    page.locator(".card-format:has-text('9:16') input").check()
    page.click("#card-save")
    page.wait_for_selector("#card-said:has-text('Saved.')")
    page.wait_for_selector(".card-need[data-need='9:16'][data-state='gap']")

    colleague, _ = make_user("editor", regions=["CN", "JP"])
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        other = context.new_page()
        _sign_in(other, web, colleague)
        other.goto(f"{web}/boards/{board_id}")
        mine = other.locator(f".board-card[data-card='{word} mascot banner']")
        mine.wait_for()
        assert "0/6" in mine.locator(".card-progress").inner_text()
        other.wait_for_timeout(300)  # its tab registered with the live feed

        suggestion = page.locator(f".card-suggestion[data-asset='{word} mascot, Tokyo store']")
        suggestion.locator(".card-attach").click()
        page.wait_for_selector(f".card-attached[data-asset='{word} mascot, Tokyo store']")
        page.wait_for_selector(".card-need[data-need='JP'][data-state='covered']")
        assert page.locator(".card-need[data-need='CN'][data-state='gap']").count() == 1
        page.locator(".card-step[data-step='collection']").click()
        page.wait_for_selector("#card-checklist [role='checkbox'][data-state='checked']")
        assert page.locator("#card-checklist [role='checkbox'][data-state='checked']").count() == 1
        page.wait_for_selector("#card-history:has-text('checklist collection')")
        # Translation was the owner's (the seed's default); it is handed to nobody for now.
        who = page.locator(".step-who[aria-label='Accountable for translation']")
        assert who.input_value() == str(manager.id)
        who.select_option("nobody")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with session_scope() as session:
                steps = checklists.items_of(session, [card_id])[card_id]
            if steps[1].accountable_id is None:
                break
            time.sleep(0.2)
        assert steps[1].label == "translation" and steps[1].accountable_id is None

        page.fill("#card-comment-text", "Reusing the Tokyo store shot; @nobody-at-all check the crop")
        page.click("#card-comment-post")
        page.wait_for_selector("#card-error:has-text('no one is called @nobody-at-all')")
        assert page.input_value("#card-comment-text").startswith("Reusing")  # the refused draft stays
        page.fill("#card-comment-text", "Reusing the Tokyo store shot for JP")
        page.click("#card-comment-post")
        page.wait_for_selector(".card-comment:has-text('Reusing the Tokyo store shot for JP')")

        mine.locator(".card-attached-count").wait_for(timeout=10_000)  # live, no reload
        other.wait_for_function(
            "sel => document.querySelector(sel)?.innerText.includes('1/6')",
            arg=f".board-card[data-card='{word} mascot banner'] .card-progress",
            timeout=10_000,
        )
        assert other.evaluate("performance.getEntriesByType('navigation').length") == 1

        other.click("#board-coverage-link")
        other.wait_for_selector("#coverage-summary:has-text('1 fulfilled by reuse (100%)')")
        assert other.locator(".coverage-row[data-market='CN'] .coverage-cell[data-state='gap']").count() == 1
        assert other.locator(".coverage-row[data-market='JP'] .coverage-cell[data-state='covered']").count() == 1
        other.click(".coverage-row[data-market='CN'] .coverage-card")
        other.wait_for_selector(f"#card-title:has-text('{word} mascot banner')")

        # Swimlanes and filters on the manager's board.
        page.goto(f"{web}/boards/{board_id}")
        page.locator("#board-controls button[aria-label='Swimlanes']").click()
        page.get_by_role("option", name="Lanes by market").click()
        page.wait_for_selector(".board-lane[data-lane='JP'] .board-card")
        assert page.locator(".board-lane[data-lane='CN'] .board-card").count() == 1  # asks for both markets
        page.locator("#board-controls button[aria-label='Due']").click()
        page.get_by_role("option", name="overdue").click()
        page.wait_for_selector("#board-nothing")
        assert "0 of 1 cards" in page.inner_text("#board-count")

        other.goto(f"{web}/boards/{board_id}")
        mine.wait_for()
        other.wait_for_timeout(300)
        page.goto(f"{web}/cards/{card_id}")
        page.click("#card-delete")
        page.wait_for_url(f"**/boards/{board_id}")
        mine.wait_for(state="detached", timeout=10_000)
        assert "deleted" in other.inner_text("#board-said")
    finally:
        context.close()
