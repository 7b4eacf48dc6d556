"""Compliance benchmark: precision and recall of each built-in rule pack on the compliance test set,
the copy half (112 snippets in zh, en, ja, de, es) and the banner half (40 of them drawn on banners and
read back by the product's OCR), with every wrong answer listed, and how long a check takes.

    .venv/bin/python benchmarks/compliance.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dam_app.review.rules import checks, packs
from dam_app.review.rules.builtin import BUILTIN_PACKS
from tests.review.compliance_set import banners
from tests.review.compliance_set.evaluate import copy_cases, report


def main() -> None:
    print(report())
    folder = Path(tempfile.mkdtemp(prefix="dam-compliance-bench-"))
    started = time.perf_counter()
    cases = [(s, [banners.read_back(banners.draw(s, i, folder), s["lang"])]) for i, s in enumerate(banners.chosen())]
    print(f"({len(cases)} banners drawn and read in {time.perf_counter() - started:.1f} s)")
    print(report(cases, f"banner half: {len(cases)} banners read by OCR"))
    definitions = [packs.validated(p["kind"], p["definition"]) for p in BUILTIN_PACKS]
    texts = copy_cases()
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for snippet, fields in texts:
            for definition in definitions:
                checks.run(definition, fields, snippet["tags"])
    per_check = (time.perf_counter() - started) * 1000 / (rounds * len(texts))
    print(f"all three packs on one text: {per_check:.3f} ms mean")


if __name__ == "__main__":
    main()
