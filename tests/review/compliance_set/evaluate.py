"""Precision and recall of each built-in rule pack on the compliance test set, by finding: a finding
is right when its rule and words (case aside) are among those the snippet expects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

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


def evaluate() -> tuple[dict[str, PackScore], list[str]]:
    """Scores per pack, and one line per wrong answer (what was found or missed, in which snippet)."""
    scores = {p["key"]: PackScore(p["key"]) for p in BUILTIN_PACKS}
    wrong: list[str] = []
    for pack in BUILTIN_PACKS:
        definition = packs.validated(pack["kind"], pack["definition"])
        for snippet in SNIPPETS:
            if snippet["market"] not in pack["markets"] and packs.ALL_MARKETS not in pack["markets"]:
                continue
            fields = [checks.TextField(snippet["field"], snippet["text"])]
            found = Counter((m.rule, m.matched.lower()) for m in checks.run(definition, fields, snippet["tags"]))
            expected = Counter(
                (rule, words.lower()) for rule, words in snippet["expect"] if rule in PACK_RULES[pack["key"]]
            )
            score = scores[pack["key"]]
            score.right += sum((found & expected).values())
            for item in found - expected:
                score.false_alarms += 1
                wrong.append(f"{pack['key']}: false alarm {item} in {snippet['text']!r}")
            for item in expected - found:
                score.missed += 1
                wrong.append(f"{pack['key']}: missed {item} in {snippet['text']!r}")
    return scores, wrong


def report() -> str:
    scores, wrong = evaluate()
    lines = [f"compliance test set: {len(SNIPPETS)} snippets (zh, en, ja, de, es)"]
    for score in scores.values():
        lines.append(
            f"  {score.key:<22} precision {score.precision:.3f}  recall {score.recall:.3f}"
            f"  ({score.right} right, {score.false_alarms} false alarms, {score.missed} missed)"
        )
    return "\n".join(lines + [f"  {w}" for w in wrong])
