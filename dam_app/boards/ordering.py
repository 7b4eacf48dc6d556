"""Where a card sits in its column: fractional index keys (the `fractional-indexing` package), so a
move writes one row. Keys grow when cards keep landing between the same two; past REBALANCE_AT
characters the column's keys are written afresh, evenly spaced."""

from __future__ import annotations

from fractional_indexing import generate_key_between, generate_n_keys_between

REBALANCE_AT = 48  # characters; the column holds 200


def between(before: str | None, after: str | None) -> str:
    """A key after `before` and before `after` (None: the column's start or end)."""
    return str(generate_key_between(before, after))


def evenly(count: int) -> list[str]:
    """`count` short keys in order, for a column written afresh."""
    return [str(key) for key in generate_n_keys_between(None, None, count)]


def too_long(key: str) -> bool:
    return len(key) > REBALANCE_AT
