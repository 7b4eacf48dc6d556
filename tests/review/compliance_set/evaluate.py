"""Precision and recall of each built-in rule pack on the compliance test set, by finding: a finding
is right when its rule and words (case aside) are among those the snippet expects."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from dam_app.review.rules import checks, packs
from dam_app.review.rules.builtin import BUILTIN_PACKS
from tests.review.compliance_set.snippets import SNIPPETS

PACK_RULES = {
    "cn-ad-law-art9": {checks.Rule.ABSOLUTE_TERM},
    "us-ftc-endorsement": {checks.Rule.MISSING_DISCLOSURE, checks.Rule.BURIED_DISCLOSURE, checks.Rule.WEAK_DISCLOSURE},
    "health-claims": {checks.Rule.HEALTH_CLAIM},
}


@dataclass
class PackScore:
    key: str
    right: int = 0
    false_alarms: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        return self.right / max(1, self.right + self.false_alarms)

    @property
    def recall(self) -> float:
        return self.right / max(1, self.right + self.missed)


Case = tuple[dict[str, Any], list[checks.TextField]]


def copy_cases() -> list[Case]:
    """Each snippet as the text it is written in (copy, description or title)."""
    return [(s, [checks.TextField(s["field"], s["text"])]) for s in SNIPPETS]


def evaluate(cases: list[Case] | None = None) -> tuple[dict[str, PackScore], list[str]]:
    """Scores per pack, and one line per wrong answer (what was found or missed, in which snippet)."""
    cases = copy_cases() if cases is None else cases
    scores = {p["key"]: PackScore(p["key"]) for p in BUILTIN_PACKS}
    wrong: list[str] = []
    for pack in BUILTIN_PACKS:
        definition = packs.validated(pack["kind"], pack["definition"])
        for snippet, fields in cases:
            if snippet["market"] not in pack["markets"] and packs.ALL_MARKETS not in pack["markets"]:
                continue
            found = [(m.rule, m.matched.lower()) for m in checks.run(definition, fields, snippet["tags"])]
            expected = [(rule, words.lower()) for rule, words in snippet["expect"] if rule in PACK_RULES[pack["key"]]]
            right, false_alarms, missed = _paired(found, expected)
            score = scores[pack["key"]]
            score.right += right
            read = " / ".join(f.text for f in fields).replace("\n", " ")
            for item in false_alarms:
                score.false_alarms += 1
                wrong.append(f"{pack['key']}: false alarm {item} in {read!r}")
            for item in missed:
                score.missed += 1
                wrong.append(f"{pack['key']}: missed {item} in {read!r}")
    return scores, wrong


def _paired(
    found: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> tuple[int, list[tuple[str, str]], list[tuple[str, str]]]:
    """Findings paired with expected ones of the same rule whose words are the same or nearly (OCR
    may drop a character: "免疫アップ" read from "免疫力アップ" is the finding, in the right place)."""
    left = list(found)
    missed = []
    for rule, words in expected:
        match = next(
            (f for f in left if f[0] == rule and (f[1] == words or SequenceMatcher(None, f[1], words).ratio() >= 0.6)),
            None,
        )
        if match is None:
            missed.append((rule, words))
        else:
            left.remove(match)
    return len(expected) - len(missed), left, missed


def report(cases: list[Case] | None = None, title: str = "") -> str:
    scores, wrong = evaluate(cases)
    lines = [title or f"compliance test set: {len(SNIPPETS)} snippets (zh, en, ja, de, es)"]
    for score in scores.values():
        lines.append(
            f"  {score.key:<22} precision {score.precision:.3f}  recall {score.recall:.3f}"
            f"  ({score.right} right, {score.false_alarms} false alarms, {score.missed} missed)"
        )
    return "\n".join(lines + [f"  {w}" for w in wrong])
