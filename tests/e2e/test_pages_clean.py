"""In a real browser, signed in as an admin: every page loads without a failed request, an HTTP error
(a missing favicon, logo or rendition) or an error in the console."""

from __future__ import annotations

from dam_app.ui import routes

PASSWORD = "correct-horse-battery"


def test_every_page_loads_without_errors_or_missing_files(page, web, make_user, tmp_path) -> None:
    from dam_app.accounts.principal import system_principal
    from dam_app.demo import generate
    from tests.conftest import ingest_path, wait_until_processed

    admin, _ = make_user("admin", all_regions=True, password=PASSWORD)
    shot = generate.product_shot(tmp_path / "aero.jpg", "Aero Run Sneaker", (40, 110, 220))
    asset_id = ingest_path(system_principal(), shot).asset_id
    assert wait_until_processed(asset_id) == "ready"

    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A request the browser itself cancelled (net::ERR_ABORTED: the next visit began while a lazy
    # thumbnail was loading) is no fault of the app; a refused or reset one, or an error status, is.
    page.on(
        "requestfailed",
        lambda r: problems.append(f"failed: {r.url} {r.failure}") if r.failure != "net::ERR_ABORTED" else None,
    )
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)

    def visit(path: str, ready: str) -> None:
        page.goto(web + path)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")  # thumbnails, previews and the favicon have answered
        # A picture the page rendered after the network went quiet would be cut short by the next visit:
        # every one must have finished, and shown (a broken picture has no width).
        page.wait_for_function("[...document.images].every(i => i.complete)")
        broken = page.evaluate("[...document.images].filter(i => !i.naturalWidth).map(i => i.src)")
        assert broken == [], f"{path}: pictures that did not load: {broken}"
        assert problems == [], f"{path}: {problems}"

    visit(routes.LOGIN, "#sign-in")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")
    page.wait_for_load_state("networkidle")  # a visit that began loading is not cut short by the next
    assert problems == [], f"signing in: {problems}"

    visit(routes.LIBRARY, ".asset-card img")
    visit(routes.SEARCH, "#search-box")
    visit(routes.asset_url(asset_id), "#preview-image")
    visit(routes.DUPLICATES, "#no-duplicates")
    visit(routes.ADMIN, "#no-lockouts")
    for route, title in (
        (routes.BOARDS, "Boards"),
        (routes.REVIEW, "Review"),
        (routes.SHARES, "Shares"),
        (routes.ANALYTICS, "Analytics"),
    ):
        visit(route, f"h1:has-text('{title}')")
    for static in ("/favicon.ico", "/logo.png"):  # assets/ is served at the top level
        assert page.request.get(web + static).status == 200, static
