"""The visual diff, measured: which measure of change to use, and what a comparison costs.

    .venv/bin/python benchmarks/diff.py [--repeat 3]

No database: the pictures are the demo's Double Eleven banner and a packshot, as the renditions
stage turns them into previews (JPEG, 1600 px). Each case is compared by three methods:
  absdiff       the largest RGB channel difference above 40 levels, no alignment (what a naive diff does)
  ssim+lab      SSIM (structure) and CIE Lab distance (colour), no alignment
  aligned       the same, after alignment (same framing / ECC / ORB features): what dam_app uses
and the verdict is checked against what a person would say (no change, or a change where it is).
Prints per case and method the changed share of the picture and the region count, each method's
false alarms and misses, and the p50 time of one comparison (align + compare + heatmap).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from dam_app.assets.media import render
from dam_app.demo.generate import offer_banner, product_shot
from dam_app.diff import align, pixels

PREVIEW_PX = 1600


def preview(image: Image.Image) -> Image.Image:
    return Image.open(io.BytesIO(render(image, PREVIEW_PX).data)).convert("RGB")


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def cases(scratch: Path) -> list[tuple[str, Image.Image, Image.Image, bool]]:
    """(name, A, B, changed?) as previews."""
    base = offer_banner()
    shot = Image.open(product_shot(scratch / "shot.jpg", "Hydra Glow Serum", (232, 90, 120))).convert("RGB")
    raw = [
        ("banner: identical copy", base, base.copy(), False),
        ("banner: JPEG quality 60", base, jpeg(base, 60), False),
        ("banner: re-export at 60%", base, jpeg(base.resize((720, 377)), 70), False),
        ("banner: crop 24,14 px", base, base.crop((24, 14, 1200, 628)), False),
        ("banner: crop + resize", base, base.crop((40, 20, 1160, 610)).resize((900, 474)), False),
        ("banner: square crop", base, base.crop((0, 0, 628, 628)), False),
        ("banner: JPEG quality 25", base, jpeg(base, 25), False),
        ("packshot: JPEG quality 50", shot, jpeg(shot, 50), False),
        ("packshot: JPEG quality 25", shot, jpeg(shot, 25), False),
        ("packshot: re-export at 70%", shot, jpeg(shot.resize((630, 630)), 75), False),
        ("banner: 30% -> 40% OFF", base, jpeg(offer_banner("40% OFF"), 75), True),
        ("banner: button white -> yellow", base, offer_banner(button=(255, 230, 120)), True),
        ("banner: 40% OFF, re-export 60%", base, jpeg(offer_banner("40% OFF").resize((720, 377)), 70), True),
    ]
    return [(name, preview(a), preview(b), changed) for name, a, b, changed in raw]


def absdiff(aligned: align.Aligned) -> np.ndarray:
    difference = np.abs(aligned.reference.astype(np.int16) - aligned.moved.astype(np.int16)).max(axis=2)
    return (difference / 40.0).astype(np.float32)


def run(method: str, a: Image.Image, b: Image.Image) -> pixels.PixelDiff:
    aligned = align.align(a, b, search=method == "aligned")
    intensity = absdiff(aligned) if method == "absdiff" else pixels.change_intensity(aligned)
    return pixels.regions_in(intensity, aligned.valid, a.size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs per case (p50 reported)")
    args = parser.parse_args()
    methods = ("absdiff", "ssim+lab", "aligned")
    scratch = Path("/tmp") / "dam-bench-diff"
    scratch.mkdir(exist_ok=True)
    wrong = dict.fromkeys(methods, 0)
    print(f"{'case':34s}" + "".join(f"{m:>22s}" for m in methods))
    for name, a, b, changed in cases(scratch):
        cells = []
        for method in methods:
            found = run(method, a, b)
            right = (not found.identical) == changed
            wrong[method] += not right
            cells.append(f"{found.changed_fraction:7.2%} {len(found.regions):3d} rg {'ok' if right else 'WRONG':>5s}")
        print(f"{name:34s}" + "".join(f"{c:>22s}" for c in cells))
    print("\nwrong verdicts: " + ", ".join(f"{m} {wrong[m]}" for m in methods))

    timings: dict[str, list[float]] = {}
    for name, a, b, _ in cases(scratch):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            aligned = align.align(a, b)
            found = pixels.compare(aligned, a.size)
            pixels.heatmap_jpeg(aligned, found, a.size)
            runs.append(time.perf_counter() - start)
        timings[name] = runs
    every = [t for runs in timings.values() for t in runs]
    print(
        f"one comparison (align + compare + heatmap, previews): p50 {statistics.median(every) * 1000:.0f} ms, "
        f"max {max(every) * 1000:.0f} ms over {len(every)} runs"
    )
    huge, tiny = offer_banner().resize((8000, 4187)), offer_banner().resize((100, 52))
    start = time.perf_counter()
    found = pixels.compare(align.align(huge, tiny), huge.size)
    print(
        f"8000 x 4187 against 100 x 52 (unrendered): {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{'no change' if found.identical else f'{len(found.regions)} regions'}"
    )


if __name__ == "__main__":
    main()
