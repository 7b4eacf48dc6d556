"""The banner half of the compliance test set: snippets of the copy set drawn on banners (as the
demo draws them) and read back by the product's OCR, so the packs are measured on text that comes
from pixels, with what OCR gets wrong. Partner-disclosure cases whose verdict differs on a picture
(a disclosure anywhere on the image counts) keep their copy expectations only where they match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dam_app.assets.media import open_image
from dam_app.demo.banners import CJK_FONT, LATIN_FONT, PALETTES, Copy, banner
from dam_app.review.rules import checks
from dam_app.tagging import ocr
from tests.review.compliance_set.snippets import BURIED, SNIPPETS

LANGUAGES = {"zh": "zh", "ja": "ja", "en": "en", "de": "de", "es": "es"}
COUNT = 40


def chosen() -> list[dict[str, Any]]:
    """40 snippets: every other one of the set, leaving out those whose answer depends on where in
    the copy a disclosure stands (a picture has no first line of copy)."""
    usable = [s for s in SNIPPETS if not any(rule == BURIED for rule, _ in s["expect"])]
    return usable[::2][:COUNT]


def draw(snippet: dict[str, Any], index: int, folder: Path) -> Path:
    lines = snippet["text"].split("\n")
    font = CJK_FONT if snippet["lang"] in ("zh", "ja") else LATIN_FONT
    copy = Copy(snippet["lang"], lines[0], " ".join(lines[1:]), font)
    path = folder / f"banner-{index:02d}.png"
    banner(copy, PALETTES[index % len(PALETTES)], 56).save(path)
    return path


def read_back(path: Path, language: str) -> checks.TextField:
    """The banner through the ocr stage's own reading: models for the market's language, then English."""
    models, _missing = ocr.models_for([LANGUAGES[language], "en"])
    reading = ocr.read(open_image(path, target_px=ocr.OCR_PX), models)
    return checks.picture_field((line.text, line.box) for line in reading.lines)
