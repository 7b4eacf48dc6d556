"""Live updates and alerts while people watch: new versions of one banner land while 50 sessions
have it open; how long until each session shows the new version, and until each alert arrives.

    .venv/bin/python benchmarks/live_update.py [--versions 20] [--tabs 48] [--browsers 2] [--alert-watchers 5]

Throwaway embedded PostgreSQL/Redis under a temp folder, the real `reflex run --env prod` (as
`dam up` starts it) and its two workers (`dam worker`, which renders each version, and
`dam worker --alerts-only`, which sends the alerts). The sessions: `--tabs` Reflex websocket
clients on the asset page (load_users.py's ReflexSocket; like a browser, each runs the event the
live feed pushes and waits for the page's new state) and `--browsers` real Chromium pages (the
asset page, then the library), which record the moment the new label appears in the DOM.
`--alert-watchers` more people watch the asset with a json:// channel on a local HTTP receiver.
Versions are added through `ingest.add_version`, one every `--gap` seconds. Prints p50/p95/max of
upload committed -> shown (tabs and browsers) and -> alert received. Targets on this machine:
live p95 <= 1 s, alert p95 <= 5 s (outside quiet hours).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts import Receiver
from load import server_env, start_server, start_services, stop_server
from load_users import PASSWORD, Recorder, ReflexSocket, sign_in
from playwright.async_api import Browser, Page, async_playwright
from reflex_base.utils.format import to_snake_case

from dam_app.assets.ingest import add_version
from dam_app.db import dispose_engines, session_scope
from dam_app.demo import generate
from dam_app.notify import channels
from dam_app.notify import service as alerts
from tests import factories

NEW_LABEL = re.compile(r"-> (v\d+\.\d+)")  # "v1.2 -> v1.3": the new version an alert is about
TITLE = "Live bench banner"
TARGET_LIVE_S, TARGET_ALERT_S = 1.0, 5.0
# Records the first moment each version label shows in the watched element (the browser's clock is
# this machine's, as time.time() is).
OBSERVE = """([selector, title]) => {
  window.__seen = {};
  const look = () => {
    for (const node of document.querySelectorAll(selector)) {
      if (title && !node.innerText.includes(title)) continue;
      for (const label of node.innerText.match(/v\\d+\\.\\d+/g) || []) {
        if (!(label in window.__seen)) window.__seen[label] = Date.now() / 1000;
      }
    }
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
  look();
}"""


def _state_names() -> tuple[str, str]:
    """Reflex's full names of the root state and the asset page's state (BaseState.get_full_name)."""
    chain = (
        ("reflex.state", "State"),
        ("dam_app.ui.state.session", "SessionState"),
        ("dam_app.ui.state.asset", "AssetState"),
    )
    names = [to_snake_case(f"{module.replace('.', '___')}___{cls}") for module, cls in chain]
    return names[0], ".".join(names)


def _setup(receiver: Receiver, people: int, alert_watchers: int) -> tuple[Any, Any, list[str]]:
    """The uploader, the banner's id (its v1.0), the viewers' emails; alert watchers with their channels."""
    with session_scope() as session:
        uploader = factories.user(session, role="editor", regions=["NA"], display_name="Bench uploader").principal
        viewers = [factories.user(session, role="viewer", regions=["NA"], password=PASSWORD) for _ in range(people)]
        emails = [v.user.email for v in viewers]
        banner = factories.asset(session, title=TITLE, markets=["NA"], created_by=uploader.user_id, index=False).id
        watchers = [factories.user(session, role="viewer", regions=["NA"]).principal for _ in range(alert_watchers)]
    for i, person in enumerate(watchers):
        with session_scope() as session:
            channels.add_channel(session=session, principal=person, url=f"json://127.0.0.1:{receiver.port}/w{i}")
            alerts.watch(session=session, principal=person, kind="asset", target=str(banner))
    return uploader, banner, emails


async def _tab(base: str, cookie: str, asset_id: str, seen: dict[str, float], ready: asyncio.Event) -> None:
    """One websocket tab on the asset page: hydrate, then run each pushed `on_live` as a browser
    does and note when the page's state first carries each new version label."""
    root, asset_state = _state_names()
    router = {"pathname": f"/assets/{asset_id}", "asPath": f"/assets/{asset_id}", "query": {"asset_id": asset_id}}
    sock = ReflexSocket()
    try:
        await sock.connect(base, cookie, {"name": f"{root}.hydrate_and_load", "payload": {}, "router_data": router})
        while True:
            update = await sock.updates.get()
            for event in update.get("events") or []:
                if str(event.get("name", "")).endswith(".on_live"):
                    await sock.emit(
                        {"name": event["name"], "payload": event.get("payload") or {}, "router_data": router}
                    )
            for name, value in (update.get("delta") or {}).get(asset_state, {}).items():
                if name.removesuffix("_rx_state_") == "asset" and isinstance(value, dict) and value.get("version"):
                    seen.setdefault(str(value["version"]), time.time())
                    ready.set()
    finally:
        await sock.close()


async def _browser_page(browser: Browser, base: str, cookie: str, url: str, watched: tuple[str, str]) -> Page:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    await context.add_cookies([{"name": "dam_session", "value": cookie, "url": base}])
    page = await context.new_page()
    await page.goto(f"{base}{url}")
    await page.wait_for_selector(f"{watched[0]}:has-text('v1.0')", timeout=60_000)
    await page.evaluate(OBSERVE, list(watched))
    return page


def _upload(uploader: Any, asset_id: Any, path: Path, note: str) -> tuple[str, float]:
    with session_scope() as session:
        result = add_version(
            session=session, principal=uploader, asset_id=asset_id, path=path, filename=path.name, change_note=note
        )
    assert result.ok and result.version_label, result.message
    return result.version_label, time.time()  # session_scope has committed


async def _measure(args: argparse.Namespace, base: str, folder: Path, receiver: Receiver) -> None:
    uploader, banner, emails = _setup(receiver, args.people, args.alert_watchers)
    cookies = await sign_in(base, emails, Recorder())
    asset_id = str(banner)
    files = [
        generate.product_shot(folder / f"v{i}.jpg", f"{30 + i}% OFF", (30 + 9 * i % 200, 90, 160), size=600, seed=i)
        for i in range(args.versions)
    ]
    tab_seen: list[dict[str, float]] = [{} for _ in range(args.tabs)]
    readies = [asyncio.Event() for _ in range(args.tabs)]
    tabs = [
        asyncio.create_task(_tab(base, cookies[i % len(cookies)], asset_id, tab_seen[i], readies[i]))
        for i in range(args.tabs)
    ]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        kinds = [(f"/assets/{asset_id}", ("#asset-version", "")), ("/", (".asset-card", TITLE))]
        pages = [
            await _browser_page(browser, base, cookies[i % len(cookies)], *kinds[i % len(kinds)])
            for i in range(args.browsers)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)
        await asyncio.sleep(2.0)  # every tab's watch is registered (on load)
        committed: dict[str, float] = {}
        for i, path in enumerate(files):
            label, at = await asyncio.to_thread(_upload, uploader, banner, path, f"price {30 + i}% OFF")
            committed[label] = at
            await asyncio.sleep(args.gap)
        await asyncio.sleep(args.settle)
        browser_seen = [await page.evaluate("window.__seen") for page in pages]
        await browser.close()
    for task in tabs:
        task.cancel()
    await asyncio.gather(*tabs, return_exceptions=True)
    _report(args, committed, tab_seen, browser_seen, receiver)


def _delays(committed: dict[str, float], seen: list[dict[str, float]]) -> tuple[list[float], int]:
    """Committed -> shown per (session, version); and how many were never shown."""
    delays = [s[label] - at for s in seen for label, at in committed.items() if label in s]
    return sorted(delays), len(committed) * len(seen) - len(delays)


def _line(name: str, delays: list[float], missing: int, target: float) -> str:
    if not delays:
        return f"{name}: nothing arrived ({missing} missing) -> FAIL"
    p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
    verdict = "PASS" if p95 <= target and not missing else "FAIL"
    return (
        f"{name}: n={len(delays)} missing={missing} p50 {statistics.median(delays):.3f} s"
        f" p95 {p95:.3f} s max {delays[-1]:.3f} s (target p95 <= {target} s) -> {verdict}"
    )


def _report(
    args: argparse.Namespace,
    committed: dict[str, float],
    tab_seen: list[dict[str, float]],
    browser_seen: list[dict[str, float]],
    receiver: Receiver,
) -> None:
    print(
        f"{len(committed)} versions, one every {args.gap} s, while {args.tabs} websocket tabs and "
        f"{args.browsers} browser pages watch; {args.alert_watchers} people get alerts"
    )
    tabs, tabs_missing = _delays(committed, tab_seen)
    pages, pages_missing = _delays(committed, browser_seen)
    print(_line("live, websocket tabs (commit -> new state)", tabs, tabs_missing, TARGET_LIVE_S))
    print(_line("live, browser pages (commit -> in the DOM)", pages, pages_missing, TARGET_LIVE_S))
    print(_line("live, all sessions", sorted(tabs + pages), tabs_missing + pages_missing, TARGET_LIVE_S))
    alerted: dict[str, dict[str, float]] = {}
    for path, body, at in list(receiver.hits):
        sent = json.loads(body)
        # one alert, or several for one channel in one message (a burst sent in one round)
        for label in NEW_LABEL.findall(f"{sent.get('title', '')}\n{sent.get('message', '')}"):
            alerted.setdefault(path, {}).setdefault(label, at)
    people = [alerted.get(f"/w{i}", {}) for i in range(args.alert_watchers)]
    alert_delays, alert_missing = _delays(committed, people)
    print(_line("alerts (commit -> received)", alert_delays, alert_missing, TARGET_ALERT_S))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--tabs", type=int, default=48, help="websocket sessions on the asset page")
    parser.add_argument("--browsers", type=int, default=2, help="Chromium pages (asset page, library, ...)")
    parser.add_argument("--people", type=int, default=10, help="signed-in viewers the sessions belong to")
    parser.add_argument("--alert-watchers", type=int, default=5)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between two uploads")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds to wait after the last upload")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dam-bench-live-"))
    var_dir = folder / "var"
    embedded = start_services(var_dir, fresh=False)
    web, workers = None, []
    try:
        web, base = start_server(var_dir, folder / "web.log")
        for name, extra in (("worker", []), ("alerts", ["--alerts-only"])):  # as `dam up` starts them
            with (folder / f"{name}.log").open("wb") as log:
                command = [str(Path(sys.executable).with_name("dam")), "worker", *extra]
                workers.append(subprocess.Popen(command, env=server_env(var_dir), stdout=log, stderr=subprocess.STDOUT))
        asyncio.run(_measure(args, base, folder, Receiver()))
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        if web is not None:
            stop_server(web)
        dispose_engines()
        embedded.stop()  # type: ignore[attr-defined]
        print(f"logs: {folder}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("DAM_DEMO_DATA", "false")
    main()
