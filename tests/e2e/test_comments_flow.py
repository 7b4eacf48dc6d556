"""In a real browser: a reviewer drags a box on the preview and comments on it, the pin is drawn
numbered on the picture, a colleague replies, the thread is resolved; an internal thread never shows
to an external reviewer; words selected in the copy become a phrase comment."""

from __future__ import annotations

from tests.e2e.test_review_flow import _sign_in


def _wait_for_preview(page) -> None:
    page.wait_for_function(
        "() => { const i = document.querySelector('#preview-image'); return i && i.complete && i.naturalWidth > 0; }"
    )


def _drag_on_preview(page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A mouse drag across the preview between two points given as fractions of its size."""
    page.locator("#preview-frame").scroll_into_view_if_needed()
    frame = page.locator("#preview-frame").bounding_box()
    assert frame is not None
    page.mouse.move(frame["x"] + frame["width"] * start[0], frame["y"] + frame["height"] * start[1])
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] * end[0], frame["y"] + frame["height"] * end[1], steps=4)
    page.mouse.up()


def test_reviewer_pins_a_comment_on_the_picture_and_the_thread_runs_its_course(page, web, make_user, tmp_path) -> None:
    from dam_app.accounts.principal import system_principal
    from dam_app.demo import generate
    from tests.conftest import ingest_path, wait_until_processed

    reviewer, _ = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    agency, _ = make_user("external", regions=["NA"], password="correct-horse-battery")
    path = tmp_path / "offer.png"
    generate.offer_banner("30% OFF").save(path)
    asset_id = ingest_path(system_principal(), path, markets=["NA"], title="Black Friday offer").asset_id
    assert wait_until_processed(asset_id) == "ready"

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    _wait_for_preview(page)
    page.get_by_role("combobox").filter(has_text="Whole version").click()
    page.get_by_role("option", name="Spot on the picture").click()
    page.wait_for_selector("#comment-mode-pin")
    _drag_on_preview(page, (0.05, 0.46), (0.40, 0.64))
    assert page.locator(".new-pin").count() == 1
    page.fill("#comment-body", "<b>30%</b> or 40%? Legal asked for the reference price.")
    page.click("#comment-post")
    page.wait_for_selector(".thread.open")
    thread = page.locator(".thread.open").first
    assert "Region at 5%, 46%" in thread.inner_text()
    assert "<b>30%</b> or 40%?" in thread.locator(".comment-body").inner_text()  # shown as text
    assert page.locator(".comment-pin").count() == 1 and page.locator(".new-pin").count() == 0

    thread.locator(".open-reply").click()
    page.fill("#reply-body", "Checked: 40% from Friday")
    page.click("#reply-send")
    page.wait_for_function("() => document.querySelectorAll('.thread.open .comment').length === 2")

    page.fill("#comment-body", "Internal: agency used the old logo again")
    page.get_by_role("combobox").filter(has_text="Spot on the picture").click()
    page.get_by_role("option", name="Whole version").click()
    page.click("#comment-internal")
    page.click("#comment-post")
    page.wait_for_function("() => document.querySelectorAll('.thread.open').length === 2")

    page.locator(".thread.open", has_text="Region at").locator(".resolve").click()
    page.wait_for_function("() => document.querySelectorAll('.thread.open').length === 1")
    assert page.inner_text("#open-threads") == "1 open"

    page.context.clear_cookies()
    _sign_in(page, web, agency)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#comments-note")
    page.click("#comments-all-versions")  # any filter re-reads: the internal thread stays hidden
    page.wait_for_selector("#comments-note")
    assert "Internal: agency" not in page.inner_text("#comments")
    assert page.locator("#comment-internal").count() == 0


def test_words_selected_in_the_copy_become_a_phrase_comment(page, web, make_user) -> None:
    from dam_app.db import session_scope
    from tests import factories

    reviewer, _ = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        asset_id = factories.asset(
            session, markets=["NA"], title="Serum launch copy", copy="Meet the serum. Clinically proven glow in 7 days."
        ).id
    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#copy-text")
    page.evaluate(
        """() => {
          const node = document.querySelector('#copy-text').firstChild;
          const at = node.textContent.indexOf('Clinically proven');
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'Clinically proven'.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    page.get_by_role("combobox").filter(has_text="Whole version").click()
    page.get_by_role("option", name="Selected words").click()
    page.fill("#comment-body", "Needs the study reference")
    page.click("#comment-post")
    page.wait_for_selector(".thread.open")
    assert "“Clinically proven” in the copy" in page.locator(".thread-where").first.inner_text()


def _wait_for_play_noted(user_id, asset_id, timeout: float = 10.0) -> None:
    import time

    from sqlmodel import select

    from dam_app.assets.service import PLAY_ACTION
    from dam_app.audit.models import AuditEvent
    from dam_app.db import session_scope

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as session:
            plays = session.exec(
                select(AuditEvent).where(AuditEvent.action == PLAY_ACTION, AuditEvent.actor_id == user_id)
            ).all()
        if plays:
            assert [p.details["asset_id"] for p in plays] == [str(asset_id)]  # noted once per visit
            return
        time.sleep(0.2)
    raise AssertionError("pressing play on the video was not noted")


def test_a_blocked_video_plays_from_its_copy_and_a_comment_at_its_time_shows_the_frame(
    page, web, make_user, tmp_path
) -> None:
    """The clip's licence is for China only, so its original is refused to an NA reviewer; the page
    plays its viewing copy, and a comment at 1.5 s shows that frame in the list."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.demo import generate
    from dam_app.rights import service as rights_service
    from dam_app.rights.models import RightsRecordIn
    from tests.conftest import ingest_path, wait_until_processed

    reviewer, _ = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    clip = generate.short_video(tmp_path / "teaser.mp4", seconds=2.0)
    asset_id = ingest_path(system_principal(), clip, markets=["NA"], title="Teaser").asset_id
    assert wait_until_processed(asset_id) == "ready"
    with session_scope() as session:
        rights_service.save_record(
            session=session, principal=system_principal(), asset_id=asset_id,
            data=RightsRecordIn(licence_source="Stock Co", licence_id="SC-1", licensed_markets=["CN"]),
        )  # fmt: skip

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    page.wait_for_selector("#download-blocked")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 1; }")
    source = page.locator("video").get_attribute("src")
    assert source is not None and "/renditions/" in source  # the copy, not the original
    original = page.evaluate(f"fetch('/api/v1/assets/{asset_id}/latest').then(r => r.status)")
    assert original == 403
    for _ in range(2):  # played, paused, played again: one note per version and visit
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
        page.evaluate("() => document.querySelector('video').pause()")
    _wait_for_play_noted(reviewer.id, asset_id)  # its viewer hears of the next version
    page.wait_for_timeout(1000)
    _wait_for_play_noted(reviewer.id, asset_id)
    page.evaluate("document.querySelector('video').currentTime = 1.5")
    page.get_by_role("combobox").filter(has_text="Whole version").click()
    page.get_by_role("option", name="Video's current time").click()
    page.fill("#comment-body", "The product block enters too late here")
    page.click("#comment-post")
    page.wait_for_selector(".thread.open")
    assert "0:01.5" in page.locator(".thread.open .thread-where").inner_text()
    for _ in range(20):  # the worker keeps the frame; the list shows it from the next read
        page.reload()
        page.wait_for_selector(".thread.open")
        if page.locator(".thread-frame").count():
            break
        page.wait_for_timeout(500)
    page.wait_for_function(
        "() => { const i = document.querySelector('.thread-frame'); return i && i.complete && i.naturalWidth > 0; }"
    )


def test_a_pin_that_could_not_be_placed_is_placed_by_hand(page, web, make_user) -> None:
    from dam_app.comments import pins, service
    from dam_app.db import session_scope
    from dam_app.demo import generate
    from tests import factories
    from tests.comments.test_placing import OFFER, _noise
    from tests.diff.helpers import picture_version

    reviewer, principal = make_user("reviewer", regions=["NA"], password="correct-horse-battery")
    with session_scope() as session:
        asset = factories.asset(session, title="Redesigned offer", markets=("NA",), index=False)
        picture_version(session, principal, asset, generate.offer_banner("30% OFF"))
        service.add(session=session, principal=principal, asset_id=asset.id, body="Offer wording?", anchor=OFFER)
        pins.carry_to(session, picture_version(session, principal, asset, _noise()))
        asset_id = asset.id

    _sign_in(page, web, reviewer)
    page.goto(f"{web}/assets/{asset_id}")
    _wait_for_preview(page)
    thread = page.locator(".thread.open").first
    assert "could not be placed" in thread.locator(".placement").inner_text()
    assert page.locator(".comment-pin").count() == 0  # nowhere to draw it yet
    thread.locator(".place-pin").click()
    page.wait_for_selector("#comment-mode-pin")
    _drag_on_preview(page, (0.5, 0.1), (0.7, 0.3))
    page.locator(".save-place").click()
    page.wait_for_function("() => document.querySelectorAll('.comment-pin').length === 1")
    assert "placed by hand" in page.locator(".thread.open .placement").inner_text()
    assert page.locator(".save-place").count() == 0


def test_a_comment_shows_at_once_in_other_open_tabs_but_an_internal_one_only_to_the_team(
    browser, web, make_user, tmp_path
) -> None:
    from dam_app.accounts.principal import system_principal
    from dam_app.demo import generate
    from tests.conftest import ingest_path, wait_until_processed
    from tests.e2e.test_live_flow import _tab

    reviewer, _ = make_user("reviewer", regions=["NA"])
    colleague, _ = make_user("editor", regions=["NA"])
    agency, _ = make_user("external", regions=["NA"])
    path = tmp_path / "offer.png"
    generate.offer_banner("30% OFF").save(path)
    asset_id = ingest_path(system_principal(), path, markets=["NA"], title="Cyber Monday offer").asset_id
    assert wait_until_processed(asset_id) == "ready"

    contexts = []
    try:
        tabs = {}
        for name, user in (("reviewer", reviewer), ("colleague", colleague), ("agency", agency)):
            context, tab = _tab(browser, web, user)
            contexts.append(context)
            tab.goto(f"{web}/assets/{asset_id}")
            tab.wait_for_selector("#comments-note")
            tabs[name] = tab
        tabs["agency"].wait_for_timeout(300)  # every tab registered with the live feed (on load)

        writer = tabs["reviewer"]
        writer.fill("#comment-body", "Reference price missing under the badge.")
        writer.click("#comment-post")
        for name in ("colleague", "agency"):  # no reload: the live feed tells their pages
            tabs[name].locator(".thread.open", has_text="Reference price missing").wait_for(timeout=10_000)
            assert tabs[name].evaluate("performance.getEntriesByType('navigation').length") == 1

        writer.fill("#comment-body", "Internal: the agency used last year's logo")
        writer.click("#comment-internal")
        writer.click("#comment-post")
        tabs["colleague"].locator(".thread.open", has_text="last year's logo").wait_for(timeout=10_000)
        tabs["agency"].wait_for_timeout(1500)
        assert tabs["agency"].locator(".thread.open").count() == 1
        assert "last year's logo" not in tabs["agency"].inner_text("#comments")
    finally:
        for context in contexts:
            context.close()
