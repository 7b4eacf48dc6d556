"""The ranges that the usage and "added" facets count and filter by: one definition for the SQL
conditions, the SQL counts and the counts made in Python from candidate rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, or_, true

# How often an asset's original was downloaded: name -> (at least, below); None is open-ended.
USAGE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "unused": (0, 1),
    "1-4": (1, 5),
    "5-19": (5, 20),
    "20+": (20, None),
}
# How long ago an asset was added, in days: name -> (at least, below); None is open-ended.
AGE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "7d": (0, 7),
    "30d": (7, 30),
    "90d": (30, 90),
    "365d": (90, 365),
    "older": (365, None),
}


def usage_bucket(column: Any) -> Any:
    """SQL: the USAGE_BUCKETS name of a use count."""
    return case(*((column < below, name) for name, (_, below) in USAGE_BUCKETS.items() if below), else_="20+")


def usage_bucket_of(count: int) -> str:
    return next(name for name, (_, below) in USAGE_BUCKETS.items() if below is None or count < below)


def in_usage_buckets(column: Any, names: list[str]) -> ColumnElement[bool]:
    """SQL: the use count falls in any of the named buckets (an unknown name matches nothing)."""
    ranges = [USAGE_BUCKETS[n] for n in names if n in USAGE_BUCKETS]
    return or_(false(), *(and_(column >= low, column < high if high else true()) for low, high in ranges))


def age_bucket(column: Any, now: datetime) -> Any:
    """SQL: the AGE_BUCKETS name of a creation time."""
    newer = ((column > now - timedelta(days=below), name) for name, (_, below) in AGE_BUCKETS.items() if below)
    return case(*newer, else_="older")


def age_bucket_of(created: datetime, now: datetime) -> str:
    return age_bucket_namer(now)(created)


def age_bucket_namer(now: datetime) -> Callable[[datetime], str]:
    """AGE_BUCKETS' name of a creation time, the cut-offs worked out once: a search names the age of
    some 300 candidates, and a timedelta per bucket per candidate cost a millisecond."""
    cutoffs = [(now - timedelta(days=below), name) for name, (_, below) in AGE_BUCKETS.items() if below is not None]
    oldest = next(name for name, (_, below) in AGE_BUCKETS.items() if below is None)

    def name_of(created: datetime) -> str:
        for cutoff, name in cutoffs:
            if created > cutoff:
                return name
        return oldest

    return name_of


def in_age_buckets(column: Any, names: list[str], now: datetime) -> ColumnElement[bool]:
    """SQL: the creation time falls in any of the named buckets (an unknown name matches nothing)."""
    ranges = [AGE_BUCKETS[n] for n in names if n in AGE_BUCKETS]
    return or_(
        false(),
        *(
            and_(column <= now - timedelta(days=low), column > now - timedelta(days=high) if high else true())
            for low, high in ranges
        ),
    )
