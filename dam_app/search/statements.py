"""Small SQL pieces every search statement shares, shaped to cost one round trip and one conversion.

Per search, a SET was a round trip of 0.3 ms and the 384-float query vector was turned into its
8 KB text once per statement that used it (0.2 ms each): on a 25 ms search path these added up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pgvector.sqlalchemy import Vector
from sqlalchemy import ColumnElement, String, cast, func, literal, select
from sqlmodel import Session

from dam_app.search.models import EMBEDDING_DIM


def set_local(session: Session, settings: Mapping[str, str | int]) -> None:
    """Planner settings for the rest of this transaction (like SET LOCAL), all in one statement."""
    session.execute(select(*(func.set_config(name, str(value), True) for name, value in settings.items())))


def query_vector(vector: Sequence[float]) -> ColumnElement[Any]:
    """The query's embedding as an SQL value, its text made once and reused by every statement that
    compares against it. Rounded to float32 (what pgvector stores) first, whose nine significant
    digits then read back exactly."""
    as_text = "[" + ",".join([f"{x:.9g}" for x in np.asarray(vector, dtype=np.float32).tolist()]) + "]"
    return cast(literal(as_text, String()), Vector(EMBEDDING_DIM))
