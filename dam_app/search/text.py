"""Turn text into search terms that PostgreSQL's language-agnostic `simple` parser can match.

Chinese and Japanese have no spaces, so runs of CJK characters become overlapping bigrams
("双十一狂欢" -> 双十 十一 一狂 狂欢); queries get the same treatment, so a two-character word
matches anywhere inside a longer run. Latin words are lower-cased and kept whole.
"""

from __future__ import annotations

import re
import unicodedata

_CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A run of CJK characters, or a run of other word characters: 'iphone手机壳' -> 'iphone', '手机壳'.
PIECE = re.compile(f"[{_CJK_RANGES}]+|[^\\W{_CJK_RANGES}]+", re.UNICODE)
_MAX_TERMS = 64


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
        or 0xF900 <= code <= 0xFAFF
    )


def terms(text: str) -> list[str]:
    """Lower-cased words, with CJK runs split into bigrams (a single CJK character stays as is).
    One regular expression finds the runs (a per-character loop cost milliseconds per page of hits)."""
    out: list[str] = []
    for run in PIECE.findall(unicodedata.normalize("NFKC", text).lower()):
        if len(run) == 1 or not is_cjk(run[0]):
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def document_terms(text: str) -> str:
    """The string stored through to_tsvector('simple', ...)."""
    return " ".join(terms(text))


def query_terms(text: str) -> list[str]:
    """Distinct terms of a query, in order, at most 64 of them (a 10,000-character query stays cheap)."""
    return list(dict.fromkeys(terms(text)))[:_MAX_TERMS]


def tsquery(query: list[str], *, prefix_last: bool = True, joiner: str = " | ") -> str:
    """An OR (or AND) query; the last term also matches as a prefix, so results follow the typing."""
    parts = []
    for i, term in enumerate(query):
        quoted = "'" + term.replace("'", "''").replace("\\", "") + "'"
        last_latin = prefix_last and i == len(query) - 1 and not is_cjk(term[0])
        parts.append(quoted + (":*" if last_latin else ""))
    return joiner.join(parts)
