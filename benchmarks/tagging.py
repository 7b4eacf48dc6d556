"""Tagging benchmark: a realistic mixed library through the real workers, every stage included, with
the OCR results checked against the text each banner was drawn with.

    .venv/bin/python benchmarks/tagging.py --assets 5000 [--workers 2]

The library: product shots (one in five with a person named in its metadata), banners with known
copy in eleven languages and five scripts (Latin, Chinese, Japanese, Hangul, Thai) on three palettes,
short videos and copy documents, in market folders so each banner is read in its market's languages.
Prints what ingest.py prints (rates, per-stage mean/p95), then the ocr stage's outcome per kind of
file, its time on pictures with and without text, character accuracy per script and discount recall.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline_run import PipelineRun, run_pipeline

from dam_app.demo import banners, generate

# The market whose folder a banner in this language goes to (the importer reads markets from folders).
MARKET_OF = {"en": "NA", "de": "EU", "fr": "EU", "es": "EU", "pt": "LATAM", "id": "SEA", "vi": "SEA", "th": "SEA"}
MARKET_OF |= {"zh": "CN", "ja": "JP", "ko": "KR"}
SCRIPT = {"zh": "chinese", "ja": "japanese", "ko": "hangul", "th": "thai"}
COPIES = [c for c in banners.COPY if c.language in MARKET_OF]  # no market writes traditional Chinese
DISCOUNT_WORDS = ("%", "减", "半額", "diskon", "Rabatt", "descuento", "desconto", "할인", "ลด")


def generate_library(root: Path, count: int) -> None:
    rng = random.Random(11)
    phases = ["warm-up", "peak", "encore"]
    for i in range(count):
        phase, kind = phases[(i // 10) % 3], i % 10
        name, _, color = generate.PRODUCTS[i % len(generate.PRODUCTS)]
        tint = ((color[0] + i * 7) % 256, (color[1] + i * 13) % 256, (color[2] + i * 3) % 256)
        if kind < 5:
            market = ["NA", "EU", "JP", "CN", "SEA"][i % 5]
            path = generate.product_shot(
                root / market / "product-images" / phase / f"shot-{i:05d}.jpg", name, tint, size=1200, seed=i
            )
            if kind == 0:
                generate.with_person(path, "Model A")
        elif kind < 8:
            copy = COPIES[i % len(COPIES)]
            palette = banners.PALETTES[i % len(banners.PALETTES)]
            picture = banners.banner(copy, palette, rng.choice((48, 56, 64)), shade=i // len(COPIES))
            target = root / MARKET_OF[copy.language] / "banners" / phase / f"banner-{i:05d}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            picture.save(target)
        elif kind == 8:
            generate.short_video(root / "NA" / "videos" / phase / f"clip-{i:05d}.mp4", seconds=1.0, color=tint)
        else:
            generate.copy_document(root / "EU" / "copy" / phase / f"copy-{i:05d}.md", f"{name} {i}")


def report_tagging(_run: PipelineRun) -> None:
    from sqlalchemy import and_, select
    from sqlmodel import col

    from dam_app.assets.models import Version
    from dam_app.db import session_scope
    from dam_app.processing.models import JobRun
    from dam_app.tagging.models import ImageText

    with session_scope() as session:
        rows = session.execute(
            select(
                col(Version.original_filename),
                col(ImageText.status),
                col(ImageText.text),
                col(ImageText.facts),
                col(JobRun.duration_ms),
            )
            .join(ImageText, col(ImageText.version_id) == col(Version.id))
            .join(JobRun, and_(col(JobRun.version_id) == col(Version.id), col(JobRun.stage) == "ocr"))
        ).all()
    outcome: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ms: dict[str, list[float]] = defaultdict(list)
    accuracy: dict[str, list[float]] = defaultdict(list)
    discounts = found = 0
    for filename, status, text, facts, duration in rows:
        kind = filename.split("-")[0]
        outcome[kind][status] += 1
        ms["with text" if status == "read" else "without text"].append(duration or 0.0)
        if kind == "banner":
            copy = COPIES[int(filename.split("-")[1].split(".")[0]) % len(COPIES)]
            expected = banners.expected_text(copy)
            accuracy[SCRIPT.get(copy.language, "latin")].append(banners.character_accuracy(expected, text))
            if any(word in expected for word in DISCOUNT_WORDS):
                discounts += 1
                found += any(f["kind"] == "discount" for f in facts)
    print("ocr outcome per kind of file:", {k: dict(v) for k, v in sorted(outcome.items())})
    for label, values in sorted(ms.items()):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1] if values else 0.0
        mean = sum(values) / max(1, len(values))
        print(f"ocr on pictures {label}: {len(values)} runs, mean {mean:.0f} ms, p95 {p95:.0f} ms")
    for script, values in sorted(accuracy.items()):
        print(f"banner character accuracy, {script}: {sum(values) / len(values):.3f} over {len(values)} banners")
    print(f"discounts found: {found} of {discounts} banners whose copy states one")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    run = run_pipeline(generate_library, args.assets, args.workers, report_tagging)
    minutes = (run.import_s + run.process_s) / 60
    print(f"total: {args.assets} assets tagged in {minutes:.1f} min (target: 10 min for 5,000)")


if __name__ == "__main__":
    main()
