"""The classification filters that list and search endpoints share, as one dependency."""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

from dam_app.api.schemas import Text
from dam_app.assets.buckets import AGE_BUCKETS
from dam_app.assets.dimensions import DIMENSIONS, AssetFilter, Kind

_TYPES: dict[Kind, Any] = {Kind.LIST: list[Text] | None, Kind.FLAG: bool | None, Kind.DATE: datetime | None}


def asset_filter(**values: Any) -> AssetFilter:
    """The filter of a request; its parameters come from DIMENSIONS (see `__signature__` below)."""
    unknown = sorted(set(values.get("added") or []) - set(AGE_BUCKETS))
    if unknown:
        valid = ", ".join(AGE_BUCKETS)
        raise HTTPException(422, f"unknown added range {', '.join(map(repr, unknown))}; valid: {valid}")
    return DIMENSIONS.build(values)


# FastAPI reads a dependency's parameters from its signature: one query parameter per dimension.
asset_filter.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter(
            d.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[_TYPES[d.kind], Query(description=d.description)],
        )
        for d in DIMENSIONS.params
    ]
)

FilterDep = Annotated[AssetFilter, Depends(asset_filter)]
