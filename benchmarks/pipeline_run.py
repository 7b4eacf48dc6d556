"""The shared harness of the pipeline benchmarks (ingest.py, tagging.py): throwaway embedded servers,
generated files imported, real workers until every stage is done, per-stage numbers printed.

Not a benchmark by itself; each benchmark passes the library it generates.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAX_WAIT_S = 3600


@dataclass(frozen=True)
class PipelineRun:
    imported: int
    import_s: float
    process_s: float
    failed_stages: int


def run_pipeline(
    generate: Callable[[Path, int], None],
    count: int,
    workers: int,
    report: Callable[[PipelineRun], None] | None = None,
) -> PipelineRun:
    """Generate `count` files with `generate(root, count)`, import them, process them with `workers`
    real workers, print the rates and the per-stage table, then `report` (still connected)."""
    var_dir = Path(tempfile.mkdtemp(prefix="dam-bench-"))
    os.environ.update(DAM_VAR_DIR=str(var_dir), DAM_DEMO_DATA="false")
    from dam_app.config import reset_settings_cache

    reset_settings_cache()
    import dam_app.models  # noqa: F401
    from dam_app.accounts.principal import system_principal
    from dam_app.assets.classify import Classification
    from dam_app.assets.importer import import_tree
    from dam_app.db import dispose_engines, session_scope
    from dam_app.processing import service as processing_service
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database
    from dam_app.stages import REGISTRY
    from dam_app.worker import queues

    services = ensure_services()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        upgrade_database()
        source = var_dir / "source"
        started = time.perf_counter()
        generate(source, count)
        print(f"generated {count} files in {time.perf_counter() - started:.1f} s")

        t0 = time.perf_counter()
        summary = import_tree(principal=system_principal(), root=source, options=Classification(campaign="Bench"))
        import_s = time.perf_counter() - t0
        print(
            f"import (validate, store, catalogue): {summary.imported} files in {import_s:.1f} s "
            f"= {summary.imported / import_s:.1f} files/s; failed {summary.failed}"
        )

        t1 = time.perf_counter()
        for _ in range(workers):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "dam_app.worker"],
                    env={**os.environ},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        while True:
            with session_scope() as session:
                counts = processing_service.counts_by_status(session=session)
            pending = counts.get("queued", 0) + counts.get("running", 0)
            if pending == 0 or time.perf_counter() - t1 > MAX_WAIT_S:
                break
            time.sleep(0.5)
        process_s = time.perf_counter() - t1
        result = PipelineRun(summary.imported, import_s, process_s, counts.get("failed", 0))
        print(
            f"processing with {workers} workers: {summary.imported} assets in {process_s:.1f} s "
            f"= {summary.imported / process_s:.1f} assets/s (failed stages: {result.failed_stages})"
        )
        print(f"end to end: {summary.imported / (import_s + process_s):.1f} files/s")
        with session_scope() as session:
            timings = processing_service.stage_timings(session=session)
        print(f"{'stage':<12}{'runs':>7}{'mean ms':>10}{'p95 ms':>10}")
        for stage in REGISTRY.names():
            runs, mean, p95 = timings.get(stage, (0, 0.0, 0.0))
            print(f"{stage:<12}{runs:>7}{mean:>10.1f}{p95:>10.1f}")
        print(f"queue after run: {queues.stats().queued} queued, {queues.stats().failed} failed")
        if report is not None:
            report(result)
        return result
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        dispose_engines()
        services.stop()
