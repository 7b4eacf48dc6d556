"""Ingest benchmark: import N generated files, let real workers process them, print the numbers.

    .venv/bin/python benchmarks/ingest.py --files 1000 [--workers 2]

Uses throwaway embedded PostgreSQL/Redis under a temp folder (or DAM_DATABASE_URL/DAM_REDIS_URL), so
it never touches the library in ./var. Prints: files generated, import rate (validate + store +
catalogue, synchronous), end-to-end rate (until every asset is processed), and per-stage job times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate_files(root: Path, count: int) -> None:
    from dam_app.demo import generate

    markets = ["NA", "EU", "JP", "CN", "SEA"]
    phases = ["warm-up", "peak", "encore"]
    languages = list(generate.BANNER_COPY)
    for i in range(count):
        market, phase = markets[i % len(markets)], phases[(i // 5) % len(phases)]
        name, _, color = generate.PRODUCTS[i % len(generate.PRODUCTS)]
        tint = ((color[0] + i * 7) % 256, (color[1] + i * 13) % 256, (color[2] + i * 3) % 256)
        kind = i % 20
        if kind < 13:
            generate.product_shot(
                root / market / "product-images" / phase / f"shot-{i:05d}.jpg", name, tint, size=1200, seed=i
            )
        elif kind < 18:
            generate.banner(
                root / market / "banners" / phase / f"banner-{i:05d}.png", languages[i % len(languages)], tint
            )
        elif kind < 19:
            generate.copy_document(root / market / "copy" / phase / f"copy-{i:05d}.md", f"{name} {i}")
        else:
            generate.short_video(root / market / "videos" / phase / f"clip-{i:05d}.mp4", seconds=1.0, color=tint)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="dam-bench-"))
    os.environ.update(DAM_VAR_DIR=str(var_dir), DAM_DEMO_DATA="false")
    from dam_app.config import reset_settings_cache

    reset_settings_cache()
    import dam_app.models  # noqa: F401
    from dam_app.accounts.principal import system_principal
    from dam_app.assets.classify import Classification
    from dam_app.assets.importer import import_tree
    from dam_app.db import session_scope
    from dam_app.processing import service as processing_service
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database
    from dam_app.stages import REGISTRY
    from dam_app.worker import queues

    services = ensure_services()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        upgrade_database()
        source = var_dir / "source"
        started = time.perf_counter()
        generate_files(source, args.files)
        print(f"generated {args.files} files in {time.perf_counter() - started:.1f} s")

        t0 = time.perf_counter()
        summary = import_tree(principal=system_principal(), root=source, options=Classification(campaign="Bench"))
        import_s = time.perf_counter() - t0
        print(
            f"import (validate, store, catalogue): {summary.imported} files in {import_s:.1f} s "
            f"= {summary.imported / import_s:.1f} files/s; failed {summary.failed}"
        )

        env = {**os.environ}
        t1 = time.perf_counter()
        for _ in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "dam_app.worker"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        while True:
            with session_scope() as session:
                counts = processing_service.counts_by_status(session=session)
            pending = counts.get("queued", 0) + counts.get("running", 0)
            if pending == 0 or time.perf_counter() - t1 > 3600:
                break
            time.sleep(0.5)
        process_s = time.perf_counter() - t1
        print(
            f"processing with {args.workers} workers: {summary.imported} assets in {process_s:.1f} s "
            f"= {summary.imported / process_s:.1f} assets/s (failed stages: {counts.get('failed', 0)})"
        )
        total = import_s + process_s
        print(f"end to end: {summary.imported / total:.1f} files/s")
        with session_scope() as session:
            timings = processing_service.stage_timings(session=session)
        print(f"{'stage':<12}{'runs':>7}{'mean ms':>10}{'p95 ms':>10}")
        for stage in REGISTRY.names():
            runs, mean, p95 = timings.get(stage, (0, 0.0, 0.0))
            print(f"{stage:<12}{runs:>7}{mean:>10.1f}{p95:>10.1f}")
        print(f"queue after run: {queues.stats().queued} queued, {queues.stats().failed} failed")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        from dam_app.db import dispose_engines

        dispose_engines()
        services.stop()


if __name__ == "__main__":
    main()
