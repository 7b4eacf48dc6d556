"""In a real browser: add a json:// channel, watch an asset; a new version uploaded through the API
reaches the local receiver through the worker, and the settings page lists it as delivered."""

from __future__ import annotations

import httpx

from dam_app.accounts import service as accounts
from dam_app.db import session_scope
from dam_app.demo import generate
from tests.conftest import ingest_path, wait_until_processed
from tests.e2e.test_review_flow import _sign_in
from tests.notify.receivers import http_receiver


def test_watcher_gets_an_alert_for_a_new_version(page, web, make_user, tmp_path) -> None:
    watcher, _ = make_user("viewer", regions=["NA"])
    admin, _ = make_user("admin", regions=["NA"])
    uploader, uploader_principal = make_user("editor", regions=["NA"])
    first = ingest_path(uploader_principal, generate.product_shot(tmp_path / "blue.jpg", "Blue", (40, 110, 220)))
    wait_until_processed(first.asset_id)
    with session_scope() as session:
        token = accounts.issue_api_token(session=session, user_id=uploader.id, name="e2e").token

    with http_receiver() as receiver:
        _sign_in(page, web, watcher)
        page.goto(f"{web}/settings/alerts")
        page.fill("#channel-url", "htps://hooks.example.com/oops")  # a typo: no service Apprise knows
        page.click("#add-channel")
        page.wait_for_selector("#alerts-error")
        assert "'htps://' is not a notification service Apprise knows" in page.inner_text("#alerts-error")
        assert page.locator("#channels .channel-row").count() == 0  # nothing stored
        page.fill("#channel-url", receiver.url("json", "/browser-hook"))
        page.click("#add-channel")
        page.wait_for_selector("#alerts-notice:has-text('Channel added')")
        assert "json://12…" in page.inner_text("#channels")
        assert "browser-hook" not in page.inner_text("#channels")  # shown masked

        page.goto(f"{web}/assets/{first.asset_id}")
        page.wait_for_selector("#watch-toggle:has-text('Watch')")
        page.click("#watch-toggle")
        page.wait_for_selector("#watch-toggle:has-text('Watching')")

        red = generate.product_shot(tmp_path / "red.jpg", "Red", (200, 40, 60))
        response = httpx.post(
            f"{web}/api/v1/assets/{first.asset_id}/versions",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("red.jpg", red.read_bytes(), "image/jpeg")},
            data={"change_note": "red for the sale"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        (alert,) = receiver.wait_for(1, timeout=60)
        body = alert.fields()
        assert body["title"].endswith("v1.0 -> v1.1")
        assert "red for the sale" in body["message"] and "/compare?a=" in body["message"]

        page.goto(f"{web}/settings/alerts")
        page.wait_for_selector("#deliveries .delivery-row")
        row = page.locator("#deliveries .delivery-row").first
        assert "delivered" in row.inner_text() and "v1.0 -> v1.1" in row.inner_text()
        assert page.locator("#all-deliveries").count() == 0  # everyone's deliveries are for admins

        page.context.clear_cookies()  # an admin sees every person's deliveries, with whom each went to
        _sign_in(page, web, admin)
        page.goto(f"{web}/settings/alerts")
        page.wait_for_selector("#all-deliveries .delivery-row")
        everyone = page.locator("#all-deliveries .delivery-row", has_text="v1.0 -> v1.1").first.inner_text()
        assert watcher.email in everyone and "delivered" in everyone and "asset" in everyone
