"""Ingest benchmark: import N generated files, let real workers process them, print the numbers.

    .venv/bin/python benchmarks/ingest.py --files 1000 [--workers 2]

Uses throwaway embedded PostgreSQL/Redis under a temp folder (or DAM_DATABASE_URL/DAM_REDIS_URL), so
it never touches the library in ./var. Prints: files generated, import rate (validate + store +
catalogue, synchronous), end-to-end rate (until every asset is processed), and per-stage job times.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline_run import run_pipeline


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
    run_pipeline(generate_files, args.files, args.workers)


if __name__ == "__main__":
    main()
