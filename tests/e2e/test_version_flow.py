"""In a real browser: an editor uploads a new version with a note, then restores the first one."""

from __future__ import annotations

from sqlmodel import select

from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.notify.models import AlertOutbox
from tests.conftest import ingest_path, wait_until_processed
from tests.e2e.test_review_flow import _sign_in


def test_editor_uploads_a_version_then_restores_the_first(page, web, make_user, tmp_path) -> None:
    editor, principal = make_user("editor", regions=["NA"], password="correct-horse-battery")
    first = ingest_path(principal, generate.product_shot(tmp_path / "blue.jpg", "Blue", (40, 110, 220)))
    wait_until_processed(first.asset_id)
    red = generate.product_shot(tmp_path / "red.jpg", "Red", (200, 40, 60))

    _sign_in(page, web, editor)
    page.goto(f"{web}/a/{first.asset_id}")  # the short link opens the asset page
    page.wait_for_url(f"**/assets/{first.asset_id}")
    page.wait_for_selector("#version-form")
    assert page.locator(".version-restore").count() == 0  # v1.0 is current: nothing to restore

    page.set_input_files("#version-upload input[type=file]", str(red))
    page.fill("#version-note", "red for the sale")
    page.click("#version-upload-button")
    page.wait_for_selector("#version-ok:has-text('Added')")
    assert page.inner_text("#version-ok") == "Added v1.1."
    rows = page.locator(".version-row")
    assert rows.count() == 2
    assert "v1.1" in rows.nth(0).inner_text() and "red for the sale" in rows.nth(0).inner_text()

    # The switches go with a restore too: a major version, alerted through people's quiet hours.
    page.click("#version-major")
    page.click("#version-urgent")
    page.click("[id='restore-v1.0']")
    page.wait_for_selector("#version-ok:has-text('Restored')")
    assert page.inner_text("#version-ok") == "Restored v1.0 as v2.0."
    page.wait_for_function("() => document.querySelectorAll('.version-row').length === 3")
    newest = page.locator(".version-row").nth(0).inner_text()
    assert "v2.0" in newest and "Restored from v1.0" in newest and "blue.jpg" in newest
    assert page.get_attribute("#version-urgent", "data-state") == "unchecked"  # one version's choice
    with session_scope() as session:
        alerts = session.exec(select(AlertOutbox).where(AlertOutbox.asset_id == first.asset_id)).all()
    told = {a.title: a.urgent_markets for a in alerts if "-> v" in a.title}
    assert told == {"blue: v1.0 -> v1.1": [], "Urgent: blue: v1.1 -> v2.0": ["*"]}

    # Restoring v1.0 again would only repeat the current file: refused, and said so.
    page.click("[id='restore-v1.0']")
    page.wait_for_selector("#version-error")
    assert page.inner_text("#version-error") == "Not restored: identical to the current version v2.0"
    assert page.locator(".version-row").count() == 3
