"""Why a document matched: the query terms it holds, and an excerpt with them marked «like this».

Computed from the indexed text with the index's own word and CJK-bigram rules (search/text.py), so
a Chinese or Japanese term is marked inside its run of characters. PostgreSQL's ts_headline could
not do that (its `simple` parser reads a whole CJK run as one word), and it cost a query per page.
"""

from __future__ import annotations

import unicodedata

from dam_app.search.text import PIECE, is_cjk

FRAGMENT_WORDS = 18  # words (or CJK runs) per excerpt fragment
FRAGMENTS = 2
FRAGMENT_CHARS = 140  # a long CJK run is one "word": cut it around its first mark
LEAD_WORDS = 4  # context kept before the first marked word of a fragment
OPEN, CLOSE, GAP = "«", "»", " … "


def highlight(content: str, terms: list[str]) -> tuple[list[str], str]:
    """The query terms found in `content` (in query order; the last Latin term also as a prefix,
    like the search itself) and up to FRAGMENTS excerpts around them; ([], "") when none is found.
    Plain text with « » marks, safe to show."""
    if not terms:
        return [], ""
    wanted = set(terms)
    prefix = terms[-1] if not is_cjk(terms[-1][0]) else None
    cjk_terms = [t for t in terms if is_cjk(t[0])]
    pieces = list(PIECE.finditer(content))
    marks: list[tuple[int, int]] = []  # character spans of `content`, in order
    marked_pieces: list[int] = []
    found: set[str] = set()
    for index, piece in enumerate(pieces):
        word = unicodedata.normalize("NFKC", piece.group()).lower()
        spans: list[tuple[int, int]] = []
        if is_cjk(word[0]):
            same_length = len(word) == len(piece.group())  # else positions would not line up: mark it whole
            for term in cjk_terms:
                at = word.find(term)
                if at >= 0:
                    found.add(term)
                while at >= 0:
                    spans.append((piece.start() + at, piece.start() + at + len(term)) if same_length else piece.span())
                    at = word.find(term, at + 1)
        elif word in wanted or (prefix and word.startswith(prefix)):
            found.add(word if word in wanted else prefix or word)
            spans.append(piece.span())
        if spans:
            marks.extend(_merged(spans))
            marked_pieces.append(index)
    if not found:
        return [], ""
    fragments: list[str] = []
    next_allowed = 0
    for index in marked_pieces:
        if index < next_allowed or len(fragments) == FRAGMENTS:
            continue
        first = max(next_allowed, index - LEAD_WORDS)
        last = min(len(pieces), first + FRAGMENT_WORDS) - 1
        start, end = _word_bounds(content, pieces[first].start(), pieces[last].end())
        fragments.append(_fragment(content, start, end, marks))
        next_allowed = last + 1
    return [t for t in terms if t in found], GAP.join(fragments)


def _word_bounds(content: str, start: int, end: int) -> tuple[int, int]:
    """Widened to whitespace, so punctuation stuck to the first and last words stays: "(50%)"."""
    while start > 0 and not content[start - 1].isspace():
        start -= 1
    while end < len(content) and not content[end].isspace():
        end += 1
    return start, end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping marks as one (双十 and 十一 in 双十一 mark 双十一 once)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _fragment(content: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """content[start:end] with its marks inserted, cut to FRAGMENT_CHARS around the first mark,
    whitespace collapsed."""
    inside = [(a, b) for a, b in marks if a >= start and b <= end]
    if end - start > FRAGMENT_CHARS and inside:
        start = max(start, min(inside[0][0] - FRAGMENT_CHARS // 4, end - FRAGMENT_CHARS))
        end = min(end, start + FRAGMENT_CHARS)
        inside = [(a, b) for a, b in inside if a >= start and b <= end]
    out, at = [], start
    for a, b in inside:
        out += [content[at:a], OPEN, content[a:b], CLOSE]
        at = b
    out.append(content[at:end])
    return " ".join("".join(out).split())
