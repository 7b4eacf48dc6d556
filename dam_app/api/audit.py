"""The audit trail: who approved, excepted, changed rights or overrode a block, filterable; a page
of JSON at a time, or the whole selection as CSV."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.audit import trail
from dam_app.db import session_scope

router = APIRouter(tags=["audit"], responses=COMMON_ERRORS)


class TrailPageOut(BaseModel):
    events: list[trail.TrailRow]
    next_before: int | None


def _filter(
    kind: Annotated[list[Text] | None, Query(max_length=20, description=f"Any of: {', '.join(trail.KINDS)}")] = None,
    actor: Annotated[Text, Query(max_length=200, description="Part of the e-mail of who acted")] = "",
    asset_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> trail.TrailFilter:
    return trail.TrailFilter(kinds=list(kind or []), actor=actor, asset_id=asset_id, since=since, until=until)


TrailFilterDep = Annotated[trail.TrailFilter, Depends(_filter)]


@router.get("/audit", responses=errors(400, 403))
def audit_page(
    principal: PrincipalDep,
    session: SessionDep,
    filt: TrailFilterDep,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="next_before of the last page")] = None,
    limit: Annotated[int, Query(ge=1, le=trail.MAX_PAGE)] = 50,
) -> TrailPageOut:
    """Newest first (reviewers: the events of assets in their markets; admins: all)."""
    found = trail.page(session=session, principal=principal, filt=filt, before=before, limit=limit)
    return TrailPageOut(events=found.rows, next_before=found.next_before)


@router.get("/audit/export.csv", response_class=StreamingResponse, responses=errors(400, 403))
def audit_export(principal: PrincipalDep, filt: TrailFilterDep) -> StreamingResponse:
    """The same selection as CSV (at most 100,000 events), read in batches."""
    lines = trail.export(principal=principal, filt=filt, sessions=session_scope)
    first = next(lines)  # refusals (role, bad filter) raise here, before the response starts
    return StreamingResponse(
        _chain(first, lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"', "Cache-Control": "private, no-store"},
    )


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
