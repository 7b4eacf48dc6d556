"""Alert latency: from the commit of a new version to the alert arriving on a local webhook.

    .venv/bin/python benchmarks/alerts.py [--versions 20] [--watchers 5] [--gap 0.25] [--slow-channel]

Throwaway embedded PostgreSQL/Redis under a temp folder and one real worker (`python -m dam_app.worker`),
which also renders each new version (real pictures): alerts run on their own queue, listened to first.
Every watcher has a json:// channel on a local HTTP receiver and watches market NA; each version is
uploaded through `ingest.add_version` (a new v1.1 of its own asset). `--slow-channel` adds a watcher
whose receiver answers only after 8 s, to show it delays nobody else. Prints p50/p95/max of
commit -> received over every (version, watcher) pair; the target is p95 <= 5 s outside quiet hours.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rq import Worker

import dam_app.models  # noqa: F401
from dam_app.assets.ingest import add_version
from dam_app.config import reset_settings_cache
from dam_app.db import dispose_engines, session_scope
from dam_app.demo import generate
from dam_app.notify import channels, service
from dam_app.runtime.embedded import ensure_services
from dam_app.runtime.migrate import upgrade_database
from dam_app.worker import queues
from tests import factories

SLOW_PATH = "/slow"


class Receiver:
    """A local webhook: (path, body, time.time()) of every POST; the slow path answers late."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str, float]] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                hits.append((self.path, body, time.time()))
                if self.path.startswith(SLOW_PATH):
                    time.sleep(8)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _setup(receiver: Receiver, watchers: int, versions: int, slow: bool, folder: Path) -> tuple[Any, list[Any]]:
    with session_scope() as session:
        uploader = factories.user(session, role="editor", regions=["NA"], display_name="Bench uploader").principal
        people = [factories.user(session, role="viewer", regions=["NA"]).principal for _ in range(watchers + slow)]
        assets = [
            factories.asset(session, title=f"Bench asset {i}", markets=["NA"], index=False) for i in range(versions)
        ]
    for i, person in enumerate(people):
        path = SLOW_PATH if slow and i == len(people) - 1 else f"/w{i}"
        with session_scope() as session:
            channels.add_channel(session=session, principal=person, url=f"json://127.0.0.1:{receiver.port}{path}")
            service.watch(session=session, principal=person, kind="market", target="NA")
    files = [
        generate.product_shot(folder / f"v{i}.jpg", "Bench", (30 + 7 * i % 200, 90, 160), size=600, seed=i)
        for i in range(versions)
    ]
    return uploader, list(zip(assets, files, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--watchers", type=int, default=5)
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between two uploads")
    parser.add_argument("--slow-channel", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dam-bench-alerts-"))
    os.environ.update(DAM_VAR_DIR=str(folder / "var"), DAM_DEMO_DATA="false")
    reset_settings_cache()
    embedded = ensure_services()
    worker = None
    try:
        upgrade_database()
        receiver = Receiver()
        uploader, work = _setup(receiver, args.watchers, args.versions, args.slow_channel, folder)
        dispose_engines()
        log = (folder / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "dam_app.worker"], env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 120
        while not Worker.all(connection=queues.connection()) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # the worker has registered; its first dequeue follows
        committed: dict[str, float] = {}
        for asset, path in work:
            with session_scope() as session:
                result = add_version(
                    session=session,
                    principal=uploader,
                    asset_id=asset.id,
                    path=path,
                    filename=path.name,
                    change_note="bench",
                )
                assert result.ok, result.message
            committed[asset.title] = time.time()  # session_scope has committed
            time.sleep(args.gap)
        expected = len(work) * args.watchers
        deadline = time.monotonic() + 120
        latencies = _latencies(receiver, committed)
        while len(latencies) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
            latencies = _latencies(receiver, committed)
        _report(latencies, expected, args)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        dispose_engines()
        embedded.stop()


def _latencies(receiver: Receiver, committed: dict[str, float]) -> list[float]:
    """One latency per (version, fast watcher): the first message naming the version's asset."""
    seen: dict[tuple[str, str], float] = {}
    for path, body, at in list(receiver.hits):
        if path.startswith(SLOW_PATH):
            continue
        for title, t0 in committed.items():
            if f"{title}:" in body or f"“{title}”" in body or f"\\u201c{title}\\u201d" in body:
                seen.setdefault((path, title), at - t0)
    return sorted(seen.values())


def _report(latencies: list[float], expected: int, args: argparse.Namespace) -> None:
    print(f"{args.versions} versions x {args.watchers} watchers (slow channel: {args.slow_channel}), gap {args.gap} s")
    print(f"alerts received: {len(latencies)} of {expected}")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        print(
            f"commit -> received: p50 {statistics.median(latencies):.3f} s, p95 {p95:.3f} s, max {latencies[-1]:.3f} s"
        )


if __name__ == "__main__":
    main()
