"""Comparing two versions: ask for it, follow its progress, fetch its pictures (see diff/service.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from dam_app.api.assets import rendition_response
from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, errors
from dam_app.config import API_PREFIX
from dam_app.diff import service
from dam_app.diff.models import DiffImage, DiffStatus, VersionDiff

router = APIRouter(tags=["diffs"], responses=COMMON_ERRORS)


class DiffIn(BaseModel):
    a: uuid.UUID = Field(description="The version before (the older one, usually)")
    b: uuid.UUID = Field(description="The version after")
    retry: bool = Field(default=False, description="Queue a comparison that failed once more")


class DiffOut(BaseModel):
    id: uuid.UUID
    a: uuid.UUID
    b: uuid.UUID
    status: str = Field(description="queued, running, done or failed")
    progress: int = Field(description="Percent done")
    step: str
    error: str | None
    summary: dict[str, Any] = Field(
        description="When done: pixels (regions, alignment), fields (metadata, rights, tags), words, video"
    )
    images: dict[str, str] = Field(description="Picture name -> URL: heatmap, aligned, keyframe-a-0, ...")
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, session: Session, diff: VersionDiff) -> DiffOut:
        names = session.exec(select(DiffImage.name).where(DiffImage.diff_id == diff.id)).all()
        return cls(
            id=diff.id,
            a=diff.version_a,
            b=diff.version_b,
            status=diff.status,
            progress=diff.progress,
            step=diff.step,
            error=diff.error,
            summary=diff.summary,
            images={name: image_url(diff.id, name) for name in sorted(names)},
            created_at=diff.created_at,
            finished_at=diff.finished_at,
        )


def image_url(diff_id: uuid.UUID, name: str) -> str:
    return f"{API_PREFIX}/diffs/{diff_id}/images/{name}"


@router.post("/diffs", responses={202: {"model": DiffOut, "description": "Queued or running"}, **errors(400, 404)})
def request_diff(body: DiffIn, principal: PrincipalDep, session: SessionDep, response: Response) -> DiffOut:
    """Compare two versions the caller may read (of one asset or two). 200 with the kept result when
    the pair was compared before; 202 while the worker computes it (poll `GET /diffs/{id}`)."""
    diff = service.request_diff(session=session, principal=principal, a=body.a, b=body.b, retry=body.retry)
    if diff.status not in (DiffStatus.DONE, DiffStatus.FAILED):
        response.status_code = 202
    return DiffOut.of(session, diff)


@router.get("/diffs/{diff_id}", responses=errors(404))
def get_diff(diff_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> DiffOut:
    """A comparison's state and, once done, its result."""
    return DiffOut.of(session, service.get_diff(session=session, principal=principal, diff_id=diff_id))


@router.get("/diffs/{diff_id}/images/{name}", response_class=FileResponse, responses=errors(404))
def diff_image(diff_id: uuid.UUID, name: str, principal: PrincipalDep, session: SessionDep) -> FileResponse:
    """One of the comparison's pictures (JPEG): the heatmap, B aligned onto A, or a video keyframe."""
    return rendition_response(service.diff_image(session=session, principal=principal, diff_id=diff_id, name=name))
