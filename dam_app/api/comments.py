"""Comment threads on an asset: pinned to a region or point of the picture, a time of the video or a
phrase of the copy (W3C Web Annotation selectors), replies with @mentions, edits with their
history, resolve and reopen; and the caller's mentions inbox."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.comments import service
from dam_app.comments.mentions import MAX_BODY
from dam_app.comments.service import MentionView, ThreadsPage, ThreadView

router = APIRouter(tags=["comments"], responses=COMMON_ERRORS)
CommentId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The comment's (or thread's first comment's) id")]
Body = Annotated[Text, Field(min_length=1, max_length=MAX_BODY)]


class CommentIn(BaseModel):
    body: Body
    anchor: dict[str, Any] | None = Field(
        default=None,
        description=(
            'A W3C selector: {"type": "FragmentSelector", "value": "xywh=percent:10,20,5,5"} (a region; '
            'w = h = 0: a point), {"type": "FragmentSelector", "value": "t=12.5,14"} (video seconds), or '
            '{"field": "copy", "selector": [{"type": "TextQuoteSelector", "exact": "..."}, '
            '{"type": "TextPositionSelector", "start": 0, "end": 4}]}; none: the whole version'
        ),
    )
    version_id: uuid.UUID | None = Field(default=None, description="The version it is about (default: the current)")
    internal: bool = Field(default=False, description="Only your team sees it (never external reviewers)")


class PlacementIn(BaseModel):
    version_id: uuid.UUID = Field(description="A version after the one the thread was made on")
    anchor: dict[str, Any] = Field(description="Where the pin belongs there: a selector of the thread's own kind")


class ReplyIn(BaseModel):
    body: Body


class EditIn(BaseModel):
    body: Body


ThreadOut = ThreadView  # a thread, its pin where it stands on the version asked for, its comments
MentionOut = MentionView


@router.get("/assets/{asset_id}/comments", responses=errors(400, 404))
def list_threads(
    asset_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    version_id: uuid.UUID | None = None,
    status: Literal["open", "resolved", "all"] = "open",
    mine: bool = False,
    mentions: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = service.PAGE,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ThreadsPage:
    """Threads on a version (made on it, or carried to it), open first then newest."""
    page = service.threads(
        session=session, principal=principal, asset_id=asset_id, version_id=version_id, status=status,
        mine=mine, mentions=mentions, limit=limit, offset=offset,
    )  # fmt: skip
    return page


@router.post("/assets/{asset_id}/comments", status_code=201, responses=errors(400, 403, 404))
def start_thread(asset_id: uuid.UUID, body: CommentIn, principal: PrincipalDep, session: SessionDep) -> ThreadOut:
    """Start a thread; 422 says why an anchor or a mention is refused (outside the picture, past the
    video's end, a phrase not there, someone who cannot see the asset)."""
    view = service.add(
        session=session, principal=principal, asset_id=asset_id, body=body.body, anchor=body.anchor,
        version_id=body.version_id, internal=body.internal,
    )  # fmt: skip
    return view


@router.post("/assets/{asset_id}/comments/{comment_id}/replies", status_code=201, responses=errors(400, 404))
def reply(
    asset_id: uuid.UUID, comment_id: CommentId, body: ReplyIn, principal: PrincipalDep, session: SessionDep
) -> ThreadOut:
    view = service.add(session=session, principal=principal, asset_id=asset_id, body=body.body, parent_id=comment_id)
    return view


@router.put("/assets/{asset_id}/comments/{comment_id}", responses=errors(400, 403, 404))
def edit_comment(
    asset_id: uuid.UUID, comment_id: CommentId, body: EditIn, principal: PrincipalDep, session: SessionDep
) -> ThreadOut:
    """Change your own comment; what it said before is kept (its edit count shows it)."""
    return service.edit(session=session, principal=principal, asset_id=asset_id, comment_id=comment_id, body=body.body)


@router.post("/assets/{asset_id}/comments/{comment_id}/resolve", responses=errors(400, 403, 404))
def resolve(asset_id: uuid.UUID, comment_id: CommentId, principal: PrincipalDep, session: SessionDep) -> ThreadOut:
    return service.set_resolved(
        session=session, principal=principal, asset_id=asset_id, thread_id=comment_id, resolved=True
    )


@router.post("/assets/{asset_id}/comments/{comment_id}/reopen", responses=errors(400, 403, 404))
def reopen(asset_id: uuid.UUID, comment_id: CommentId, principal: PrincipalDep, session: SessionDep) -> ThreadOut:
    return service.set_resolved(
        session=session, principal=principal, asset_id=asset_id, thread_id=comment_id, resolved=False
    )


@router.put("/assets/{asset_id}/comments/{comment_id}/placement", responses=errors(400, 403, 404))
def place_pin(
    asset_id: uuid.UUID, comment_id: CommentId, body: PlacementIn, principal: PrincipalDep, session: SessionDep
) -> ThreadOut:
    """Put the thread's pin where it belongs on a later version (after "could not be placed"); the
    worker leaves a pin placed by hand there and carries it on from it."""
    return service.place(
        session=session, principal=principal, asset_id=asset_id, thread_id=comment_id,
        version_id=body.version_id, anchor=body.anchor,
    )  # fmt: skip


@router.get("/me/mentions")
def my_mentions(principal: PrincipalDep, session: SessionDep) -> list[MentionOut]:
    """Where you were @mentioned, newest first."""
    return service.inbox(session=session, principal=principal)
