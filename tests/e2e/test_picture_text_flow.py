"""In a real browser: a banner's text is shown on its page, boxed on the preview, with the facts read
from it, and a tag says on hover why it is there."""

from __future__ import annotations

import time
from pathlib import Path

from sqlmodel import select

from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.tagging.models import ImageText
from tests.conftest import ingest_path, wait_until_processed
from tests.e2e.test_review_flow import _sign_in


def test_the_asset_page_shows_the_text_in_the_picture(page, web, make_user, tmp_path: Path) -> None:
    viewer, _ = make_user("viewer", regions=["NA"], password="correct-horse-battery")
    editor_user, editor = make_user("editor", regions=["NA"], password="correct-horse-battery")
    path = tmp_path / "double_eleven.png"
    generate.offer_banner("40% OFF").save(path)
    result = ingest_path(editor, path, markets=["NA"])
    assert wait_until_processed(result.asset_id) == "ready"

    _sign_in(page, web, viewer)
    page.goto(f"{web}/assets/{result.asset_id}")
    page.wait_for_selector(".text-line")
    lines = page.locator(".text-line").all_inner_texts()
    assert lines[:2] == ["Double Eleven", "40% OFF"]
    assert "Read in English" in page.inner_text("#text-note")
    assert "discount: 40% OFF → 40% off" in page.locator(".text-fact").all_inner_texts()

    # Each line's box lies on the preview where the words are: "Double Eleven" is drawn at x=60 of 1200.
    page.wait_for_function("() => document.querySelector('#preview-image').complete")
    image = page.locator("#preview-image").bounding_box()
    boxes = [b.bounding_box() for b in page.locator(".text-box").all()]
    assert image is not None and len(boxes) == len(lines)
    first = boxes[0]
    assert first is not None
    assert abs((first["x"] - image["x"]) / image["width"] - 60 / 1200) < 0.02
    assert all(b is not None and image["y"] <= b["y"] <= image["y"] + image["height"] for b in boxes)

    page.click("#text-boxes-toggle")
    page.wait_for_function("() => document.querySelectorAll('.text-box').length === 0")

    page.locator(".tag", has_text="discount").hover()
    page.wait_for_selector("[role=tooltip]")
    assert "OCR: '40% OFF'" in page.inner_text("[role=tooltip]")

    assert page.locator("#reread").count() == 0  # a viewer cannot ask for it

    # An editor asks for the text to be read again: the worker reads it, the page stays as it was.
    with session_scope() as session:
        first_read = session.exec(select(ImageText.created_at).where(ImageText.version_id == result.version_id)).one()
    page.context.clear_cookies()
    _sign_in(page, web, editor_user)
    page.goto(f"{web}/assets/{result.asset_id}")
    page.click("#reread")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope() as session:
            read_at = session.exec(select(ImageText.created_at).where(ImageText.version_id == result.version_id)).one()
        if read_at > first_read:
            break
        time.sleep(0.3)
    assert read_at > first_read
    page.wait_for_function("() => document.querySelector('#reread-message').innerText === ''", timeout=30_000)
    assert page.locator(".text-line").all_inner_texts()[:2] == ["Double Eleven", "40% OFF"]
