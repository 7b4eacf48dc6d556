"""In a real browser: sign in, upload, watch the thumbnail and metadata arrive live, sign out."""

from __future__ import annotations

import re

from dam_app.stages import REGISTRY
from tests.jobs.test_pipeline import _tag_with_iptc


def test_sign_in_upload_and_see_processing_results_live(page, web, make_user, sample_files, tmp_path) -> None:
    make_user("admin", all_regions=True, password="correct-horse-battery")
    from sqlmodel import select

    from dam_app.accounts.models import User
    from dam_app.db import session_scope

    with session_scope() as session:
        email = session.exec(select(User.email)).one()

    page.goto(web + "/")
    page.wait_for_url(re.compile(r".*/login$"))
    page.fill("#email", email)
    page.fill("#password", "not-the-password")
    page.click("#sign-in")
    page.wait_for_selector("#login-error")
    assert "Wrong e-mail or password" in page.inner_text("#login-error")
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")
    assert page.inner_text("#asset-total") == "0 assets"

    photo = tmp_path / "aero-hero.jpg"
    photo.write_bytes(sample_files["jpeg"].read_bytes())
    _tag_with_iptc(photo)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    page.set_input_files("#library-upload input[type=file]", [str(photo), str(broken)])
    page.click("#upload-button")
    page.wait_for_function(
        "() => { const rows = [...document.querySelectorAll('.upload-result')];"
        " return rows.length === 2 && rows.every(r => /imported|failed|duplicate/.test(r.innerText)); }"
    )
    results = page.locator(".upload-result").all_inner_texts()
    assert any("imported" in r and "aero-hero.jpg" in r for r in results), results
    assert any("failed" in r and "broken.png" in r and "corrupt" in r for r in results), results

    # No reload: the grid refreshes itself when the worker reports the asset ready.
    card = page.locator(".asset-card", has_text="Aero Run hero shot")
    card.wait_for(timeout=60_000)
    thumb = card.locator("img")
    thumb.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1

    card.click()
    page.wait_for_selector("#asset-title")
    assert page.inner_text("#asset-title") == "Aero Run hero shot"
    page.wait_for_selector("#rights")
    rights = page.inner_text("#rights")
    assert "Li Wei" in rights and "MR-NON" in rights and "2027-06-30" in rights
    # the keywords in the file, and what OCR read on the shot's label ("Aero Run Sneaker")
    assert page.locator(".tag").all_inner_texts() == ["English text", "running", "shoe", "text"]
    stages = page.locator(".stage-row").all_inner_texts()
    assert len(stages) == len(REGISTRY.names()) and all("succeeded" in s for s in stages)

    page.click("#sign-out")
    page.wait_for_url(re.compile(r".*/login$"))
    status = page.evaluate("() => fetch('/api/v1/assets', {credentials: 'same-origin'}).then(r => r.status)")
    assert status == 401


def test_asset_page_follows_the_worker_live(page, web, worker, make_user, sample_files) -> None:
    """Open an asset while its jobs are still queued; stages and preview fill in without a reload."""
    from dam_app.assets.classify import Classification
    from dam_app.assets.ingest import IngestFields, ingest_file
    from dam_app.db import session_scope

    user, principal = make_user("editor", regions=["JP"], password="correct-horse-battery")
    page.goto(web + "/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct-horse-battery")
    page.click("#sign-in")
    page.wait_for_selector("#asset-total")
    worker.stop()  # no worker: the jobs wait in the queue while the page is open
    try:
        with session_scope() as session:
            result = ingest_file(
                session=session,
                principal=principal,
                path=sample_files["png"],
                filename="jp.png",
                fields=IngestFields(classification=Classification(markets=["JP"])),
            )
        page.goto(f"{web}/assets/{result.asset_id}")
        page.wait_for_selector(".stage-row >> nth=3")
        assert all("queued" in row for row in page.locator(".stage-row").all_inner_texts())
        assert page.locator("#preview-image").count() == 0
    finally:
        worker.start()
    page.wait_for_selector("#preview-image", timeout=60_000)
    page.wait_for_function(
        "n => [...document.querySelectorAll('.stage-row')].filter(r => r.innerText.includes('succeeded')).length === n",
        arg=len(REGISTRY.names()),
    )
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
