"""Why a hit is where it is: which of the query's words matched in which field, and whether words,
meaning or both carried it into the ranking.

Computed for the page's hits only, from fields already read (the asset's title, description and
tags, the indexed text for the rest), with the index's own word and CJK-bigram rules."""

from __future__ import annotations

from dam_app.search.results import Hit
from dam_app.search.text import is_cjk, terms

OTHER = "other text"  # classification names, file name, a copy document's body, text read from the picture
DOMINANT = 2.0  # one part of the fused score this many times the other carries the hit alone


def matched_in(title: str, description: str, tags: list[str], content: str, query: list[str]) -> dict[str, list[str]]:
    """Field -> the query terms found in it, in query order (the last Latin term also as a prefix,
    like the search itself); fields with none are left out. A term counts in "other text" only
    when no named field holds it."""
    prefix = query[-1] if query and not is_cjk(query[-1][0]) else None
    named = {"title": title, "description": description, "tags": " ".join(tags)}
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    for name, text in (*named.items(), (OTHER, content)):
        words = set(terms(text))
        here = [t for t in query if t in words or (t == prefix and any(w.startswith(t) for w in words))]
        if name == OTHER:
            here = [t for t in here if t not in seen]
        if here:
            found[name] = here
            seen.update(here)
    return found


def carried_by(words_part: float, meaning_part: float) -> str:
    """ "words", "meaning" or "words and meaning": which part of the fused score put the hit there."""
    if meaning_part <= 0 or words_part >= DOMINANT * meaning_part:
        return "words"
    if words_part <= 0 or meaning_part >= DOMINANT * words_part:
        return "meaning"
    return "words and meaning"


def reasons(hit: Hit) -> list[str]:
    """The hit's why, in short phrases for a page or a terminal: what carried it, where its words
    matched, how close its meaning and its picture are, and what a loosened search let it miss."""
    found = [f"found by {hit.carried_by}"] if hit.carried_by else []
    if hit.matched_in:
        found.append("; ".join(f"{name}: {', '.join(words)}" for name, words in hit.matched_in.items()))
    elif hit.matched_terms:
        found.append("words: " + ", ".join(hit.matched_terms))
    if hit.similarity is not None:
        found.append(f"meaning {hit.similarity:.2f}")
    if hit.picture_similarity is not None:
        found.append(f"picture {hit.picture_similarity:.2f}")
    if hit.unmet:
        found.append("loosened: not " + ", not ".join(hit.unmet))
    return found
