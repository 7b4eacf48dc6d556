"""Copy documents compared word by word: "30% OFF" -> "40% OFF" shows one word removed, one added.

Lines are matched first, then the words of the lines that changed, within a budget: a long document
costs about its length, and a pathological one (huge, repetitive changed blocks) is shown as replaced
instead of stalling the worker."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TypedDict

MAX_CHARS = 100_000  # longer copy is compared on its first part (and says so)
# Word matching costs up to cubic time on repetitive copy (SequenceMatcher without autojunk): a changed
# block larger than BLOCK_PAIRS (tokens x tokens, about 0.3 s at worst) is shown as replaced, and once
# DOCUMENT_PAIRS are spent the remaining changed blocks are too.
BLOCK_PAIRS = 160_000
DOCUMENT_PAIRS = 1_000_000
MAX_SEGMENT_CHARS = 4_000  # a removed or added run longer than this is cut (and says so)
CONTEXT_WORDS = 12  # unchanged words kept around each change; longer runs are elided
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")
_ENDS = ".!?\u3002\uff01\uff1f"  # and the ideographic full stop, fullwidth ! and ?
_SENTENCE = re.compile(f"[^{_ENDS}]*[{_ENDS}]+\\s*|[^{_ENDS}]+$")


class WordDiff(TypedDict):
    segments: list[list[str]]  # [op, text]
    removed_words: int
    added_words: int
    truncated: bool


def word_diff(before: str, after: str) -> WordDiff:
    """Segments [op, text] with op "same", "removed" or "added", plus counts."""
    truncated = len(before) > MAX_CHARS or len(after) > MAX_CHARS
    lines_a = before[:MAX_CHARS].splitlines(keepends=True)
    lines_b = after[:MAX_CHARS].splitlines(keepends=True)
    budget = _Budget(DOCUMENT_PAIRS)
    raw: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, lines_a, lines_b).get_opcodes():
        before, after = "".join(lines_a[i1:i2]), "".join(lines_b[j1:j2])
        if op == "equal":
            raw.append(["same", before])
        else:  # a long paragraph is matched sentence by sentence first
            raw += _changed(before, after, budget, _SENTENCE.findall(before), _SENTENCE.findall(after))
    segments = _merged(raw)
    removed = sum(_words(text) for op, text in segments if op == "removed")
    added = sum(_words(text) for op, text in segments if op == "added")
    shown = [_shown(op, text, first=i == 0, last=i == len(segments) - 1) for i, (op, text) in enumerate(segments)]
    return {"segments": shown, "removed_words": removed, "added_words": added, "truncated": truncated}


class _Budget:
    def __init__(self, pairs: int) -> None:
        self.left = pairs


def _changed(before: str, after: str, budget: _Budget, parts_a: list[str], parts_b: list[str]) -> list[list[str]]:
    """A changed block word by word when small enough; else its sentences matched first and each
    changed run of sentences word by word; what is still too big is shown as replaced."""
    left, right = _TOKEN.findall(before), _TOKEN.findall(after)
    pairs = len(left) * len(right)
    if pairs <= min(BLOCK_PAIRS, budget.left):
        budget.left -= pairs
        return _changed_block(left, right)
    if len(parts_a) <= 1 and len(parts_b) <= 1:
        return [["removed", before], ["added", after]]
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, parts_a, parts_b).get_opcodes():
        a, b = "".join(parts_a[i1:i2]), "".join(parts_b[j1:j2])
        out += [["same", a]] if op == "equal" else _changed(a, b, budget, [a], [b])
    return out


def _changed_block(left: list[str], right: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(["same", "".join(left[i1:i2])])
            continue
        if i2 > i1:
            out.append(["removed", "".join(left[i1:i2])])
        if j2 > j1:
            out.append(["added", "".join(right[j1:j2])])
    return out


def _merged(segments: list[list[str]]) -> list[list[str]]:
    """Neighbouring segments of one kind joined (line and word matching each cut at their edges)."""
    merged: list[list[str]] = []
    for op, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1][1] += text
        else:
            merged.append([op, text])
    return merged


def _words(text: str) -> int:
    return sum(1 for t in _TOKEN.findall(text) if not t.isspace())


def _shown(op: str, text: str, *, first: bool, last: bool) -> list[str]:
    if op != "same":
        if len(text) <= MAX_SEGMENT_CHARS:
            return [op, text]
        return [op, f"{text[:MAX_SEGMENT_CHARS]} … ({len(text) - MAX_SEGMENT_CHARS:,} more characters)"]
    return [op, _elide(_TOKEN.findall(text), first=first, last=last)]


def _elide(tokens: list[str], *, first: bool, last: bool) -> str:
    """An unchanged run, its middle cut when long: only the words next to a change are kept."""
    keep = CONTEXT_WORDS * 2  # tokens count the spaces between words too
    if len(tokens) <= 2 * keep:
        return "".join(tokens)
    head = [] if first else tokens[:keep]
    tail = [] if last else tokens[-keep:]
    return "".join(head) + " … " + "".join(tail)
