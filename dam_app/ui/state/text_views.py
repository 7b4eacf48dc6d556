"""The asset page's "Text in the picture" panel as display values: lines with their boxes placed over
the preview (CSS percentages), the facts found in them, and a sentence when nothing was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dam_app.tagging.language import NAMES as LANGUAGE_NAMES
from dam_app.tagging.models import ImageTextRead, TextFact


@dataclass
class TextLineRow:
    text: str
    confidence: str
    left: str  # CSS: where the box sits on the preview, as percentages of it
    top: str
    width: str
    height: str


@dataclass
class FactRow:
    kind: str
    text: str
    meaning: str


@dataclass
class TextView:
    note: str = ""  # "Not read yet", "No text in the picture", a skip reason, or the language read
    lines: list[TextLineRow] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)


def text_view(read: ImageTextRead | None) -> TextView:
    if read is None:
        return TextView(note="Not read yet: the text is read after the previews are made.")
    if read.status == "none":
        return TextView(note=f"No text in the picture ({read.reason}).")
    if read.status == "skipped":
        return TextView(note=f"Not read: {read.reason}.")
    language = f"in {_language(read.language)}, " if read.language else ""
    note = f"Read {language}{read.confidence:.0%} confidence, with {' + '.join(read.languages)}."
    if read.reason:
        note += f" {read.reason[0].upper()}{read.reason[1:]}."
    return TextView(
        note=note,
        lines=[
            TextLineRow(
                text=line.text,
                confidence=f"{line.confidence:.0%}",
                left=percent(line.box[0]),
                top=percent(line.box[1]),
                width=percent(line.box[2]),
                height=percent(line.box[3]),
            )
            for line in read.lines
        ],
        facts=[FactRow(kind=f.kind, text=f.text, meaning=meaning(f)) for f in read.facts],
    )


def meaning(fact: TextFact) -> str:
    """A fact's value in words: "40% off", "spend 300, save 50", "JPY 1980", "2026-11-11"."""
    v: dict[str, Any] = fact.value
    if fact.kind == "discount":
        form = v.get("form")
        if "percent_off" in v:
            return f"{v['percent_off']}% off"
        if form == "spend-save":
            return f"spend {v['spend']}, save {v['save']}"
        if form == "nth-item":
            return f"item {v['item']}: {v['offer']}"
        return "buy one, get one" if form == "bogo" else fact.text
    if fact.kind == "price":
        return f"{v['currency']} {v['amount']}"
    if fact.kind == "date":
        return str(v.get("iso") or f"{v['day']:02d}/{v['month']:02d}, year not given")
    return fact.text


def _language(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def percent(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"
