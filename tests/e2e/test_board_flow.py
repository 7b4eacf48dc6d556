"""In a real browser: a campaign manager makes a board, adds requests, drags one to peak, moves another
from the keyboard, and a second person who moved the same card a moment earlier wins visibly."""

from __future__ import annotations

from dam_app.boards import service
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
        warm_up.locator(".card-new-title input").fill(title)
        warm_up.locator(".card-add").click()
        warm_up.locator(f".board-card[data-card='{title}']").wait_for()

    page.drag_and_drop(".board-card[data-card='Hero banner 1.91:1']", ".board-column[data-phase='peak']")
    page.locator(".board-column[data-phase='peak'] .board-card[data-card='Hero banner 1.91:1']").wait_for()
    assert "1 card" in page.locator(".board-column[data-phase='peak'] .column-load").inner_text()
    page.wait_for_selector("#board-said:has-text('Moved Hero banner 1.91:1 to peak')")

    teaser = page.locator(".board-card[data-card='Teaser 9:16'] .card-next")
    teaser.focus()
    page.keyboard.press("Enter")  # the keyboard alternative to dragging
    page.locator(".board-column[data-phase='peak'] .board-card[data-card='Teaser 9:16']").wait_for()

    # Someone else moves the teaser on meanwhile; this page still shows the old revision.
    with session_scope() as session:
        card = next(
            c
            for c in service.cards_of(
                session, principal, service.visible_boards(session=session, principal=principal)[0]
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
    page.locator(".board-card[data-card='Teaser 9:16'] .card-prev").click()
    page.wait_for_selector("#board-move-error:has-text('changed this card')")
    page.locator(
        ".board-column[data-phase='encore'] .board-card[data-card='Teaser 9:16']"
    ).wait_for()  # shown where it is now
