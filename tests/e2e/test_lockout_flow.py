"""A guessed-at account is refused with the time it unlocks; an admin sees the lock and lifts it."""

from __future__ import annotations

from dam_app.accounts import throttle
from dam_app.db import session_scope

PASSWORD = "correct-horse-battery"


def _try_login(page, web, email: str, password: str) -> None:
    page.goto(web + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")


def test_locked_account_is_refused_until_an_admin_unlocks_it(browser, web, make_user) -> None:
    user, _ = make_user("viewer", regions=["EU"], password=PASSWORD)
    admin, _ = make_user("admin", all_regions=True, password=PASSWORD)
    guest = browser.new_context()
    guest.set_default_timeout(30_000)
    page = guest.new_page()
    for _ in range(throttle.ACCOUNT.delay_after):
        _try_login(page, web, user.email, "not-the-password")
        page.get_by_text("Wrong e-mail or password.").wait_for()
    _try_login(page, web, user.email, PASSWORD)  # the right password, but within the delay
    page.get_by_text("Too many failed sign-ins for this account").wait_for()
    with session_scope() as session:  # the rest of a brute-force run, as it would reach the server
        for _ in range(throttle.ACCOUNT.lock_after):
            throttle.record_failure(
                session=session, key=throttle.account_key(user.email), policy=throttle.ACCOUNT, details={}
            )
    _try_login(page, web, user.email, PASSWORD)
    page.get_by_text("This account is locked after").wait_for()
    assert "unlocks at" in page.inner_text("body")

    desk = browser.new_context()
    desk.set_default_timeout(30_000)
    office = desk.new_page()
    _try_login(office, web, admin.email, PASSWORD)
    office.wait_for_selector("#asset-total")
    office.goto(web + "/admin")
    office.locator("#lockouts").get_by_text(user.email).wait_for()
    office.locator("#lockouts").get_by_role("button", name="Unlock").click()
    office.wait_for_selector("#no-lockouts")

    _try_login(page, web, user.email, PASSWORD)
    page.wait_for_selector("#asset-total")
    assert page.request.get(web + "/favicon.ico").status == 200  # assets/ is served: no 404 per page
    guest.close()
    desk.close()
