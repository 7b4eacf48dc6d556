"""The classification filters that list and search endpoints share, as one dependency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query

from dam_app.api.schemas import Text
from dam_app.assets.buckets import AGE_BUCKETS
from dam_app.assets.service import AssetFilter


def asset_filter(
    market: Annotated[list[Text] | None, Query(description="Market codes (any of)")] = None,
    content_type: Annotated[list[Text] | None, Query()] = None,
    phase: Annotated[list[Text] | None, Query()] = None,
    campaign: Annotated[list[Text] | None, Query()] = None,
    channel: Annotated[list[Text] | None, Query()] = None,
    media_kind: Annotated[list[Text] | None, Query()] = None,
    status: Annotated[list[Text] | None, Query()] = None,
    language: Annotated[list[Text] | None, Query(description="Language codes, e.g. en, ja")] = None,
    colour: Annotated[list[Text] | None, Query(description="Dominant colours (any of), e.g. red")] = None,
    orientation: Annotated[list[Text] | None, Query(description="landscape, portrait or square")] = None,
    tag: Annotated[list[Text] | None, Query(description="Tag names (any of)")] = None,
    approval: Annotated[
        list[Text] | None,
        Query(description="approved, rejected, unreviewed, legal_approved, brand_approved or market_approved"),
    ] = None,
    usage: Annotated[list[Text] | None, Query(description="Downloads: unused, 1-4, 5-19 or 20+")] = None,
    has_person: Annotated[bool | None, Query(description="Only pictures with (true) or without (false) people")] = None,
    added: Annotated[
        list[Text] | None,
        Query(description="How long ago it was added (any of): 7d, 30d (8-30 days), 90d, 365d or older"),
    ] = None,
    created_after: Annotated[datetime | None, Query(description="Added at or after, ISO 8601")] = None,
    created_before: Annotated[datetime | None, Query(description="Added before, ISO 8601")] = None,
) -> AssetFilter:
    unknown = sorted(set(added or []) - set(AGE_BUCKETS))
    if unknown:
        valid = ", ".join(AGE_BUCKETS)
        raise HTTPException(422, f"unknown added range {', '.join(map(repr, unknown))}; valid: {valid}")
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
        added=added or [],
        created_after=_aware(created_after),
        created_before=_aware(created_before),
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A date without a zone is read as UTC (the database compares zone-aware times)."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


FilterDep = Annotated[AssetFilter, Depends(asset_filter)]
