"""Filter tokens: how a filter is asked of the full-text index (models.INDEXED_EXPRESSION, migration 0007).

Every search document is indexed with its words plus one token per filter value of its row
(`search_filter_tokens` in SQL): ~m<market>, ~t<type>, ~p<phase>, ~c<channel>, ~k<kind>,
~s<status> (the dimensions' `token` in assets/dimensions.py), ~u<owner>. Region scope and those
filters become tsquery terms ANDed with the words, so one GIN scan answers both, instead of
intersecting a 150k-row market bitmap with the words' bitmap at a million documents. Words never
contain "~", so a token never matches a word. The index re-checks the expression on each row it
returns, so the answer is exactly the SQL filter's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from dam_app.accounts.principal import Principal
from dam_app.assets.dimensions import DIMENSIONS, Dimension
from dam_app.assets.service import AssetFilter

_SAFE_VALUE = re.compile(r"^[\w.\-]{1,120}$")
_NEVER = "'~none'"  # no document carries it (every token is ~ + a known letter + a value)
TOKENISED: tuple[Dimension, ...] = tuple(d for d in DIMENSIONS if d.token)  # their `token` is the prefix


@dataclass(frozen=True)
class TokenFilter:
    tsquery: str  # ANDed with the words; "" when nothing is expressed as tokens
    residual: AssetFilter  # the conditions left for SQL (colours, dates, tags, ...)
    covers_visibility: bool  # region scope is in `tsquery`


def split(principal: Principal, f: AssetFilter) -> TokenFilter:
    """Express region scope and the tokenised filters as a tsquery; leave the rest to SQL."""
    groups: list[str] = []
    covers_visibility = principal.all_regions
    if not principal.all_regions:
        scope = [f"~m{m}" for m in sorted(principal.visible_markets)]
        if principal.user_id is not None:
            scope.append(f"~u{principal.user_id}")
        if scope:
            groups.append(_any(scope))
            covers_visibility = True
    for d in TOKENISED:
        if values := getattr(f, d.field):
            groups.append(_any([f"{d.token}{v}" for v in values]))
    cleared: dict[str, Any] = {d.field: [] for d in TOKENISED}
    residual = replace(f, **cleared)
    return TokenFilter(" & ".join(groups), residual, covers_visibility)


def _any(tokens: list[str]) -> str:
    """One OR group of quoted tokens; a value no code could have matches nothing, as in SQL."""
    quoted = [f"'{t}'" if _SAFE_VALUE.match(t[2:]) else _NEVER for t in tokens]  # exact, like SQL equality
    return "(" + " | ".join(quoted) + ")"
