"""The classification filters that list and search endpoints share, as one dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from dam_app.assets.service import AssetFilter


def asset_filter(
    market: Annotated[list[str] | None, Query(description="Market codes (any of)")] = None,
    content_type: Annotated[list[str] | None, Query()] = None,
    phase: Annotated[list[str] | None, Query()] = None,
    campaign: Annotated[list[str] | None, Query()] = None,
    channel: Annotated[list[str] | None, Query()] = None,
    media_kind: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query(description="Language codes, e.g. en, ja")] = None,
    colour: Annotated[list[str] | None, Query(description="Dominant colours (any of), e.g. red")] = None,
    orientation: Annotated[list[str] | None, Query(description="landscape, portrait or square")] = None,
    tag: Annotated[list[str] | None, Query(description="Tag names (any of)")] = None,
    approval: Annotated[
        list[str] | None,
        Query(description="approved, rejected, unreviewed, legal_approved, brand_approved or market_approved"),
    ] = None,
    usage: Annotated[list[str] | None, Query(description="Downloads: unused, 1-4, 5-19 or 20+")] = None,
    has_person: Annotated[bool | None, Query(description="Only pictures with (true) or without (false) people")] = None,
) -> AssetFilter:
    return AssetFilter(
        markets=[m.upper() for m in market or []],
        content_types=content_type or [],
        phases=phase or [],
        campaigns=campaign or [],
        channels=channel or [],
        media_kinds=media_kind or [],
        statuses=status or [],
        languages=language or [],
        colours=[c.lower() for c in colour or []],
        orientations=[o.lower() for o in orientation or []],
        tags=tag or [],
        approvals=[a.lower() for a in approval or []],
        usage=usage or [],
        has_person=has_person,
    )


FilterDep = Annotated[AssetFilter, Depends(asset_filter)]
